package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.EXCLUDED_BY_CONSTRAINTS;
import static io.cortex.core.job.ReasonCode.PLACED;
import static io.cortex.provider.inmemory.EngineFixture.id;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobState;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.placement.Candidate;
import io.cortex.core.placement.PlacementStrategy;
import io.cortex.core.provider.ProviderId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlacementTest {
    /** c is the cheapest, a the dearest; configured in the order a, b, c. */
    private EngineFixture fx = pricedFixture();

    private static EngineFixture pricedFixture() {
        return EngineFixture.withProviders("a", "b", "c")
                .provider("a", p -> p.price("0.30", "USD").wallet("100"))
                .provider("b", p -> p.price("0.20", "USD").wallet("100"))
                .provider("c", p -> p.price("0.10", "USD").wallet("100"));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private List<PlacementNote> placementOf(Job job) {
        return fx.history(job).stream().filter(e -> e.to() == JobState.ASSIGNED).findFirst().map(JobEvent::placement).orElseThrow();
    }

    @Test
    void cheapestProviderIsChosenByDefault() {
        Job job = fx.aJob();

        assertThat(job).isIn(SUCCEEDED).ranAttemptOn(1, "c");
        assertThat(placementOf(job)).extracting(PlacementNote::provider, PlacementNote::reason, PlacementNote::detail)
                .containsExactly(tuple(id("c"), PLACED, "chosen (estimated cost 0.1)"));
    }

    @Test
    void customPlacementStrategyIsHonoured() {
        // Given a strategy that ranks the dearest first, and records what it was asked
        List<List<ProviderId>> asked = new ArrayList<>();
        PlacementStrategy dearestFirst = (spec, candidates) -> {
            asked.add(candidates.stream().map(Candidate::provider).toList());
            return candidates.stream().sorted(Comparator.comparing(Candidate::estimatedCost).reversed()).toList();
        };
        fx = pricedFixture().engine(b -> b.placementStrategy(dearestFirst));

        Job job = fx.aJob();

        assertThat(job).isIn(SUCCEEDED).ranAttemptOn(1, "a");
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0)).containsExactlyInAnyOrder(id("a"), id("b"), id("c"));
    }

    @Test
    void preferredProvidersComeFirstInTheJobsOrder() {
        Job job = fx.submit(EngineFixture.spec().preferProviders("b", "a"));
        assertThat(job).isIn(SUCCEEDED).ranAttemptOn(1, "b");

        // a preferred provider that cannot take the job is skipped for the next one
        fx.b().defaultOutcome(Outcome.reject(ReasonCode.PROVIDER_REJECTED, "busy"));
        Job next = fx.submit(EngineFixture.spec().preferProviders("b", "a"));
        assertThat(next).isIn(SUCCEEDED).ranAttemptOn(1, "b").endedAttemptWith(1, ReasonCode.PROVIDER_REJECTED).ranAttemptOn(2, "a");
    }

    @Test
    void allowListRestrictsTheProviders() {
        Job job = fx.submit(EngineFixture.spec().allowProviders("a", "b"));

        assertThat(job).isIn(SUCCEEDED).ranAttemptOn(1, "b");
        assertThat(placementOf(job)).extracting(PlacementNote::provider, PlacementNote::reason)
                .contains(tuple(id("c"), EXCLUDED_BY_CONSTRAINTS));
        assertThat(fx.c().submissions()).isZero();
    }

    @Test
    void denyListExcludesProviders() {
        Job job = fx.submit(EngineFixture.spec().denyProviders("c", "b"));

        assertThat(job).isIn(SUCCEEDED).ranAttemptOn(1, "a");
        assertThat(placementOf(job)).filteredOn(n -> n.reason() == EXCLUDED_BY_CONSTRAINTS)
                .extracting(PlacementNote::provider, PlacementNote::detail)
                .containsExactlyInAnyOrder(tuple(id("b"), "on the job's deny list"), tuple(id("c"), "on the job's deny list"));
    }

    @Test
    void jobWhoseAllowedProviderIsOfflineWaitsForIt() {
        fx.a().goOffline();
        Job job = fx.submit(EngineFixture.spec().allowProviders("a"));
        assertThat(job).isIn(PENDING).hasReason(ReasonCode.PROVIDER_OFFLINE);

        fx.a().goOnline();
        fx.advance(Duration.ofSeconds(30)).advance(Duration.ofSeconds(30));
        assertThat(fx.reload(job)).isIn(SUCCEEDED).ranAttemptOn(1, "a");
    }

    @Test
    void providersAreListedInConfigurationOrder() {
        // regression: the engine kept its providers in a hash map, so providers() and placement notes came in no fixed order
        fx = EngineFixture.withProviders("zeta", "alpha", "mu", "beta");

        assertThat(fx.cortex().providers()).extracting(p -> p.id().value()).containsExactly("zeta", "alpha", "mu", "beta");
        Job job = fx.submit(EngineFixture.spec().resources(64_000, "1Gi", "1Gi"));
        assertThat(fx.history(job).get(fx.history(job).size() - 1).placement()).extracting(n -> n.provider().value())
                .containsExactly("zeta", "alpha", "mu", "beta");
    }

    @Test
    void jobDenyingEveryProviderFailsAtOnce() {
        Job job = fx.submit(EngineFixture.spec().denyProviders("a", "b", "c"));

        assertThat(job).isIn(FAILED).hasReason(EXCLUDED_BY_CONSTRAINTS).hasAttempts(0);
    }
}
