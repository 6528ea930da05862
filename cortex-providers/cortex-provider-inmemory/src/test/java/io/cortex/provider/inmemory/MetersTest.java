package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.provider.inmemory.EngineFixture.id;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's Micrometer meters, read after scripted runs on the in-memory provider with a manual clock. */
class MetersTest {
    private static final Duration CHECK = Duration.ofSeconds(30);
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private EngineFixture fx = new EngineFixture()
            .provider("a", p -> p.price("0.10", "USDC").wallet("25.00"))
            .provider("b", p -> p.price("0.20", "USDC"))
            .engine(b -> b.meterRegistry(registry));

    @AfterEach
    void close() {
        fx.close();
    }

    private RequiredSearch meter(String name, String... tags) {
        return registry.get(name).tags(tags);
    }

    private double jobs(JobState state) {
        return meter("cortex.jobs", "state", state.name()).gauge().value();
    }

    private double transitions(JobState to) {
        return meter("cortex.jobs.transitions", "to", to.name()).functionCounter().count();
    }

    private double status(String provider, String status) {
        return meter("cortex.provider.status", "provider", provider, "status", status).gauge().value();
    }

    private long placements(String outcome) {
        return meter("cortex.placement.latency", "outcome", outcome).timer().count();
    }

    @Test
    void scriptedRunRecordsJobsTransitionsFailoversPlacementsAndProviders() {
        // Given a job assigned to a, which starts nothing for ten minutes
        fx.a().startAfter(Duration.ofMinutes(10));
        Job first = fx.aJob();
        assertThat(first).isIn(ASSIGNED).isOn("a");

        assertThat(meter("cortex.jobs.submitted").functionCounter().count()).isEqualTo(1);
        assertThat(jobs(ASSIGNED)).isEqualTo(1);
        assertThat(jobs(PENDING)).isZero();
        assertThat(transitions(ASSIGNED)).isEqualTo(1);
        assertThat(placements("PLACED")).isEqualTo(1);
        assertThat(meter("cortex.placement.latency", "outcome", "PLACED").timer().totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(meter("cortex.provider.jobs.active", "provider", "a").gauge().value()).isEqualTo(1);
        assertThat(status("a", "ONLINE")).isEqualTo(1);
        assertThat(status("a", "OFFLINE")).isZero();

        // When a goes offline (two failed checks: hysteresis)
        fx.a().goOffline();
        fx.advance(CHECK);
        assertThat(status("a", "ONLINE")).as("one failed check does not flip the gauge").isEqualTo(1);
        fx.advance(CHECK);

        // Then the gauge flips, the job fails over to b and succeeds there
        assertThat(fx.reload(first)).isIn(SUCCEEDED).ranAttemptOn(2, "b");
        assertThat(status("a", "OFFLINE")).isEqualTo(1);
        assertThat(status("a", "ONLINE")).isZero();
        assertThat(status("b", "ONLINE")).isEqualTo(1);
        assertThat(meter("cortex.jobs.failovers", "reason", ReasonCode.PROVIDER_OFFLINE.name()).functionCounter().count())
                .isEqualTo(1);
        assertThat(meter("cortex.jobs.failovers", "reason", ReasonCode.STUCK_PENDING.name()).functionCounter().count())
                .isZero();
        assertThat(transitions(PENDING)).isEqualTo(1);
        assertThat(transitions(ASSIGNED)).isEqualTo(2);
        assertThat(transitions(JobState.RUNNING)).as("started once, on b").isEqualTo(1);
        assertThat(transitions(SUCCEEDED)).isEqualTo(1);
        assertThat(jobs(SUCCEEDED)).isEqualTo(1);
        assertThat(jobs(ASSIGNED)).isZero();
        assertThat(meter("cortex.provider.jobs.active", "provider", "a").gauge().value()).isZero();
        assertThat(placements("PLACED")).isEqualTo(2);

        // A job no provider can ever run fails at once; one only a may run waits while a is offline
        Job tooBig = fx.submit(EngineFixture.spec().resources(100_000, "1Gi", "1Gi"));
        Job onlyA = fx.submit(EngineFixture.spec().allowProviders("a"));
        assertThat(tooBig).isIn(FAILED);
        assertThat(onlyA).isIn(PENDING);
        assertThat(placements("FAILED")).isEqualTo(1);
        assertThat(placements("WAITING")).isEqualTo(1);
        assertThat(transitions(FAILED)).isEqualTo(1);
        assertThat(jobs(FAILED)).isEqualTo(1);
        assertThat(jobs(PENDING)).isEqualTo(1);

        // a failed job resubmitted goes back to PENDING: a transition, not a fail-over
        fx.cortex().resubmit(tooBig.id(), null);
        assertThat(transitions(PENDING)).isEqualTo(2);
        assertThat(meter("cortex.jobs.failovers", "reason", ReasonCode.PROVIDER_OFFLINE.name()).functionCounter().count())
                .isEqualTo(1);
        assertThat(transitions(FAILED)).as("and fails again: no provider can ever run it").isEqualTo(2);

        // When a answers again (two good checks), the gauge flips back and the waiting job is placed there
        fx.a().goOnline();
        fx.advance(CHECK).advance(CHECK);
        assertThat(status("a", "ONLINE")).isEqualTo(1);
        assertThat(status("a", "OFFLINE")).isZero();
        assertThat(fx.reload(onlyA)).isIn(ASSIGNED).isOn("a");
        assertThat(jobs(PENDING)).isZero();

        fx.cortex().cancel(onlyA.id());
        assertThat(transitions(JobState.CANCELLED)).isEqualTo(1);
        assertThat(jobs(JobState.CANCELLED)).isEqualTo(1);
        assertThat(transitions(JobState.RUNNING)).as("placed on a, not started yet").isEqualTo(1);
        assertThat(meter("cortex.jobs.submitted").functionCounter().count()).isEqualTo(3);

        // every event reached the listener: counted, and none waits
        assertThat(meter("cortex.events.published").functionCounter().count()).isEqualTo(fx.events().size());
        assertThat(meter("cortex.events.waiting").gauge().value()).isZero();
    }

    @Test
    void walletGaugeShowsTheLastBalanceReadInItsCurrency() {
        fx.cortex();
        assertThat(meter("cortex.provider.wallet.balance", "provider", "a", "currency", "USDC").gauge().value())
                .isEqualTo(25.0);
        assertThat(registry.find("cortex.provider.wallet.balance").tag("provider", "b").meters())
                .as("b has no wallet").isEmpty();

        fx.cortex().topUp(id("a"), new BigDecimal("10"));
        assertThat(meter("cortex.provider.wallet.balance", "provider", "a", "currency", "USDC").gauge().value())
                .isEqualTo(35.0);

        // the provider spends outside the engine: the gauge follows at the next health check
        fx.a().walletBalance("3.50");
        fx.advance(CHECK);
        assertThat(meter("cortex.provider.wallet.balance", "provider", "a", "currency", "USDC").gauge().value())
                .isEqualTo(3.5);
    }

    @Test
    void stuckAttemptsCountAsFailoversWithTheirReason() {
        fx = EngineFixture.withProviders("a", "b").engine(b -> b.meterRegistry(registry));
        fx.a().defaultOutcome(Outcome.hang());
        Job job = fx.aJob();
        fx.advance(Duration.ofMinutes(5));

        assertThat(fx.reload(job)).isIn(SUCCEEDED).ranAttemptOn(2, "b");
        assertThat(meter("cortex.jobs.failovers", "reason", ReasonCode.STUCK_PENDING.name()).functionCounter().count())
                .isEqualTo(1);
        assertThat(meter("cortex.jobs.failovers", "reason", ReasonCode.PROVIDER_OFFLINE.name()).functionCounter().count())
                .isZero();
    }

    @Test
    void everyMeterIsDescribedAndTaggedWithLowCardinalityNamesOnly() {
        Job job = fx.aJob();
        fx.tick();

        assertThat(registry.getMeters()).isNotEmpty();
        Set<String> allowedTags = Set.of("state", "to", "reason", "outcome", "provider", "status", "currency");
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getName()).startsWith("cortex.");
            assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank();
            m.getId().getTags().forEach(t -> {
                assertThat(allowedTags).as(m.getId().toString()).contains(t.getKey());
                assertThat(t.getValue()).as(m.getId().toString()).doesNotContain(job.id().value());
            });
        }
    }

    @Test
    void closingTheEngineRemovesItsMetersSoTheNextEngineRecordsIntoTheSameRegistry() {
        fx.aJob();
        assertThat(meter("cortex.jobs.submitted").functionCounter().count()).isEqualTo(1);

        fx.close();
        assertThat(registry.getMeters()).isEmpty();

        fx = new EngineFixture().engine(b -> b.meterRegistry(registry));
        fx.aJob();
        fx.aJob();
        assertThat(meter("cortex.jobs.submitted").functionCounter().count()).isEqualTo(2);
        assertThat(jobs(SUCCEEDED)).isEqualTo(2);
    }

    @Test
    void aSecondOpenEngineOnTheSameRegistryIsRefusedWithTheWayOut() {
        fx.cortex();
        InMemoryProvider other = InMemoryProvider.builder("other").build();
        Cortex.Builder second = Cortex.builder().clock(new ManualClock()).manual().provider(other).meterRegistry(registry);

        assertThatThrownBy(second::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already holds the meters of another Cortex engine")
                .hasMessageContaining("CompositeMeterRegistry");
        assertThat(meter("cortex.jobs.submitted").functionCounter().count()).as("the first engine's meters stay").isZero();
    }

    @Test
    void withoutARegistryTheEngineRecordsNoMeterAnywhere() {
        fx = new EngineFixture();
        fx.aJob();
        assertThat(fx.cortex().meterRegistry()).isEmpty();
        assertThat(registry.getMeters()).isEmpty();
        assertThat(Metrics.globalRegistry.getMeters()).as("nothing falls back to the global registry")
                .noneMatch(m -> m.getId().getName().startsWith("cortex."));
    }
}
