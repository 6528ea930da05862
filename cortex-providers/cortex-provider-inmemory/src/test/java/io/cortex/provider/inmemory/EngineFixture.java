package io.cortex.provider.inmemory;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.provider.ProviderId;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * One engine driven by hand for an end-to-end test: a {@link ManualClock}, in-memory providers
 * ({@code a} and {@code b} unless told otherwise) on that clock, and a recording listener that keeps
 * every {@link CortexEvent} in delivery order.
 *
 * <p>Customise before first use ({@link #provider}, {@link #engine}); the providers and the engine are
 * built on first access, so a test can also script a provider ({@code fx.a().goOffline()}) before the
 * engine runs its first health round.
 *
 * <pre>{@code
 * EngineFixture fx = EngineFixture.withProviders("a", "b").engine(b -> b.pendingTimeout(Duration.ofMinutes(1)));
 * fx.a().defaultOutcome(Outcome.hang());
 * Job job = fx.aJob();
 * fx.advance(Duration.ofMinutes(1));
 * }</pre>
 */
final class EngineFixture implements AutoCloseable {
    /** The image every {@link #spec()} runs unless told otherwise. */
    static final String IMAGE = "acme/app:1";

    final ManualClock clock = new ManualClock();
    private final List<String> ids;
    private final Map<String, UnaryOperator<InMemoryProvider.Builder>> providerCustomisations = new HashMap<>();
    private UnaryOperator<Cortex.Builder> engineCustomisation = UnaryOperator.identity();
    private final Map<String, InMemoryProvider> providers = new LinkedHashMap<>();
    private final List<CortexEvent> events = new CopyOnWriteArrayList<>();
    private Cortex cortex;

    private EngineFixture(List<String> ids) {
        this.ids = List.copyOf(ids);
    }

    /** Providers {@code a} and {@code b}. */
    EngineFixture() {
        this(List.of("a", "b"));
    }

    /** Providers with these ids, in this configuration order. */
    static EngineFixture withProviders(String... ids) {
        return new EngineFixture(List.of(ids));
    }

    // ---- customisation (before first use) ------------------------------------------------------

    /** Customises how provider {@code id} is built (price, wallet, capacity, capabilities…). */
    EngineFixture provider(String id, UnaryOperator<InMemoryProvider.Builder> customisation) {
        if (!ids.contains(id)) {
            throw new IllegalArgumentException("no provider '" + id + "' in this fixture: " + ids);
        }
        if (providers.containsKey(id)) {
            throw new IllegalStateException("provider " + id + " is built already; customise it before first use");
        }
        providerCustomisations.merge(id, customisation, (x, y) -> p -> y.apply(x.apply(p)));
        return this;
    }

    /** Customises the engine builder (timeouts, thresholds, strategy, retention…). */
    EngineFixture engine(UnaryOperator<Cortex.Builder> customisation) {
        if (cortex != null) {
            throw new IllegalStateException("the engine is built already; customise it before first use");
        }
        UnaryOperator<Cortex.Builder> before = engineCustomisation;
        engineCustomisation = b -> customisation.apply(before.apply(b));
        return this;
    }

    // ---- the engine and its providers ----------------------------------------------------------

    /** The engine, built on first call. */
    Cortex cortex() {
        if (cortex == null) {
            Cortex.Builder b = Cortex.builder().clock(clock).manual().listener(events::add);
            for (String id : ids) {
                b.provider(provider(id));
            }
            cortex = engineCustomisation.apply(b).build();
        }
        return cortex;
    }

    /** Provider {@code id}, built on first call. */
    InMemoryProvider provider(String id) {
        if (!ids.contains(id)) {
            throw new IllegalArgumentException("no provider '" + id + "' in this fixture: " + ids);
        }
        return providers.computeIfAbsent(id, k -> providerCustomisations.getOrDefault(k, UnaryOperator.identity())
                .apply(InMemoryProvider.builder(k).clock(clock)).build());
    }

    InMemoryProvider a() {
        return provider("a");
    }

    InMemoryProvider b() {
        return provider("b");
    }

    InMemoryProvider c() {
        return provider("c");
    }

    static ProviderId id(String provider) {
        return ProviderId.of(provider);
    }

    // ---- jobs ----------------------------------------------------------------------------------

    /** A small job spec on {@link #IMAGE}. */
    static JobSpec.Builder spec() {
        return JobSpec.builder().image(IMAGE).resources(500, "512Mi", "1Gi");
    }

    /** Submits a job built from {@link #spec()}. */
    Job aJob() {
        return submit(spec());
    }

    Job submit(JobSpec.Builder spec) {
        return cortex().submit(spec.build());
    }

    /** The job as stored now. */
    Job reload(Job job) {
        return cortex().job(job.id());
    }

    /** The job's history, oldest first. */
    List<JobEvent> history(Job job) {
        return cortex().events(job.id());
    }

    // ---- time ----------------------------------------------------------------------------------

    /** One round of background work. */
    EngineFixture tick() {
        cortex().tick();
        return this;
    }

    /** Moves the clock by {@code by}, then ticks once. */
    EngineFixture advance(Duration by) {
        cortex();
        clock.advance(by);
        return tick();
    }

    /** Moves the clock by {@code total} in steps of {@code step}, ticking after each step. */
    EngineFixture advance(Duration total, Duration step) {
        cortex();
        for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(step)) {
            Duration next = total.minus(done).compareTo(step) < 0 ? total.minus(done) : step;
            clock.advance(next);
            cortex.tick();
        }
        return this;
    }

    // ---- what the listener saw -----------------------------------------------------------------

    /** Every event delivered to the recording listener, in delivery order. */
    List<CortexEvent> events() {
        return List.copyOf(events);
    }

    /** The job events the listener saw for {@code job}, in delivery order. */
    List<JobEvent> deliveredFor(Job job) {
        return events.stream().filter(e -> e.job() != null && e.job().job().id().equals(job.id()))
                .map(e -> e.job().event()).toList();
    }

    /** Provider events of {@code type} for provider {@code provider}, in delivery order. */
    List<ProviderChange> providerEvents(String type, String provider) {
        return events.stream().filter(e -> e.provider() != null && e.type().equals(type)
                && e.provider().provider().equals(id(provider))).map(CortexEvent::provider).toList();
    }

    /** Operator log records matching every non-null filter, oldest first. */
    List<OperatorLogRecord> log(String service, String provider, JobId job) {
        return cortex().operatorLog().query(service, provider, job == null ? null : job.value(), null, null, 10_000);
    }

    @Override
    public void close() {
        if (cortex != null) {
            cortex.close();
        }
    }
}
