package io.cortex.core.internal;

import io.cortex.core.Cortex;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.WalletBalance;
import io.cortex.core.store.InMemoryJobStore;
import io.cortex.core.store.JobStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an engine's meters in a Micrometer {@link MeterRegistry}. The only class of cortex-core that
 * names a Micrometer type: it is loaded only when an application passes a registry to
 * {@code Cortex.builder().meterRegistry(…)}, so an application without Micrometer never links it.
 *
 * <p>Almost every meter reads what the engine counts anyway (function counters over its adders, gauges
 * over the store's counts and the providers' slots), so a registry adds nothing to a job's path; the one
 * exception is the placement timer, recorded per placement decision. The meters, names dot-separated
 * under {@code cortex.}, tags low-cardinality:
 *
 * <ul>
 *   <li>{@code cortex.jobs} {state}: jobs held in the store (read from the store; at most once a second
 *       for a store other than the in-memory one, where it is a query);</li>
 *   <li>{@code cortex.jobs.submitted}; {@code cortex.jobs.transitions} {to}; {@code cortex.jobs.failovers}
 *       {reason};</li>
 *   <li>{@code cortex.placement.latency} {outcome}: time to decide a placement;</li>
 *   <li>{@code cortex.provider.status} {provider, status}; {@code cortex.provider.jobs.active} {provider};
 *       {@code cortex.provider.wallet.balance} {provider, currency};</li>
 *   <li>{@code cortex.events.published}; {@code cortex.events.waiting}.</li>
 * </ul>
 *
 * <p>{@link #close()} removes them all (the engine calls it when it closes), so a later engine can record
 * into the same registry.
 */
public final class MicrometerBinder {
    private static final Logger LOG = LoggerFactory.getLogger(MicrometerBinder.class);
    /** How long the jobs-by-state counts of a store that queries a database are reused. */
    static final long COUNTS_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The meter whose presence says that an engine records into a registry already. */
    static final String MARKER = "cortex.jobs.submitted";

    private final MeterRegistry registry;
    private final Placer placer;
    private final Collection<ProviderSlot> slots;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<ProviderSlot, Meter> walletGauges = new HashMap<>();
    private final JobCounts counts;
    private boolean closed;

    private MicrometerBinder(MeterRegistry registry, JobStore store, Collection<ProviderSlot> slots, Placer placer) {
        this.registry = registry;
        this.placer = placer;
        this.slots = slots;
        this.counts = new JobCounts(store, !(store instanceof InMemoryJobStore), System::nanoTime);
    }

    /**
     * Refuses a registry that holds another live engine's meters: they would keep reading that engine.
     *
     * @param registry a {@code MeterRegistry} (checked by the builder)
     * @throws IllegalStateException when another engine records into it
     */
    public static void checkFree(Object registry) {
        MeterRegistry r = (MeterRegistry) registry;
        if (r.find(MARKER).meter() != null) {
            throw new IllegalStateException("meterRegistry " + r.getClass().getSimpleName() + " already holds the meters of "
                    + "another Cortex engine (" + MARKER + "); close that engine first, or give each engine its own "
                    + "registry (e.g. a CompositeMeterRegistry over the shared one, with a common tag such as engine=<name>)");
        }
    }

    /**
     * Registers the engine's meters and starts timing placements.
     *
     * @return the binding, to {@linkplain #close() close} when the engine closes
     */
    public static MicrometerBinder bind(Object registry, Cortex cortex, Collection<ProviderSlot> slots, Placer placer,
            EventPump pump, LongAdder submitted, LongAdder succeeded, LongAdder failed, LongAdder cancelled,
            LongAdder placements, LongAdder started, LongAdder resubmitted, Map<ReasonCode, LongAdder> failovers) {
        MicrometerBinder b = new MicrometerBinder((MeterRegistry) registry, cortex.store(), slots, placer);
        b.jobs(submitted, succeeded, failed, cancelled, placements, started, resubmitted, failovers);
        b.placement();
        b.providers();
        b.events(cortex.store(), pump);
        return b;
    }

    private void jobs(LongAdder submitted, LongAdder succeeded, LongAdder failed, LongAdder cancelled, LongAdder placements,
            LongAdder started, LongAdder resubmitted, Map<ReasonCode, LongAdder> failovers) {
        for (JobState s : JobState.values()) {
            add(Gauge.builder("cortex.jobs", counts, c -> c.of(s))
                    .description("Jobs held in the store, by state").tag("state", s.name()).register(registry));
        }
        add(FunctionCounter.builder("cortex.jobs.submitted", submitted, LongAdder::sum)
                .description("Jobs submitted to this engine").register(registry));
        transition(JobState.ASSIGNED, placements);
        transition(JobState.RUNNING, started);
        transition(JobState.SUCCEEDED, succeeded);
        transition(JobState.FAILED, failed);
        transition(JobState.CANCELLED, cancelled);
        add(FunctionCounter.builder("cortex.jobs.transitions", failovers, m -> sum(m) + resubmitted.sum())
                .description(TRANSITIONS).tag("to", JobState.PENDING.name()).register(registry));
        for (ReasonCode r : ReasonCode.values()) {
            if (r.isRetryableElsewhere() || r == ReasonCode.USER_REQUEST) {
                add(FunctionCounter.builder("cortex.jobs.failovers", failovers, m -> count(m.get(r)))
                        .description("Attempts ended and their job sent back to placement (fail-over), by reason")
                        .tag("reason", r.name()).register(registry));
            }
        }
    }

    private static final String TRANSITIONS = "Job state changes made by this engine, by the state entered: ASSIGNED "
            + "(placed), RUNNING (started), PENDING (an attempt ended and the job fails over, or a failed job was "
            + "resubmitted), SUCCEEDED, FAILED, CANCELLED";

    private void transition(JobState to, LongAdder adder) {
        add(FunctionCounter.builder("cortex.jobs.transitions", adder, LongAdder::sum)
                .description(TRANSITIONS).tag("to", to.name()).register(registry));
    }

    private void placement() {
        Map<String, Timer> timers = new HashMap<>();
        for (String outcome : List.of("PLACED", "WAITING", "FAILED")) {
            Timer t = Timer.builder("cortex.placement.latency")
                    .description("Time to decide where a pending job goes (filters and ranking), by outcome: PLACED, "
                            + "WAITING (no provider now), FAILED (no provider ever)")
                    .tag("outcome", outcome).register(registry);
            timers.put(outcome, add(t));
        }
        Timer placed = timers.get("PLACED");
        Timer waiting = timers.get("WAITING");
        Timer failed = timers.get("FAILED");
        placer.timer((d, nanos) -> (d.chosen() != null ? placed : d.permanent() ? failed : waiting)
                .record(nanos, TimeUnit.NANOSECONDS));
    }

    private void providers() {
        for (ProviderSlot slot : slots) {
            String id = slot.id.value();
            for (ProviderStatus s : ProviderStatus.values()) {
                add(Gauge.builder("cortex.provider.status", slot, p -> p.status() == s ? 1 : 0)
                        .description("1 for the provider's current status (after hysteresis), 0 for the others")
                        .tag("provider", id).tag("status", s.name()).register(registry));
            }
            add(Gauge.builder("cortex.provider.jobs.active", slot, p -> p.inFlight.intValue())
                    .description("Jobs this engine has ASSIGNED or RUNNING on the provider")
                    .tag("provider", id).register(registry));
            if (slot.wallet() != null) {
                slot.balanceObserver(this::walletRead);
                if (slot.balance() != null) {
                    walletRead(slot);
                }
            }
        }
    }

    /** A wallet was read: its gauge exists for the balance's currency (a new one if the currency changed). */
    private synchronized void walletRead(ProviderSlot slot) {
        WalletBalance b = slot.balance();
        if (closed || b == null) {
            return;
        }
        Meter existing = walletGauges.get(slot);
        if (existing != null) {
            if (b.currency().equals(existing.getId().getTag("currency"))) {
                return;
            }
            registry.remove(existing);
            meters.remove(existing);
        }
        String currency = b.currency();
        Meter g = Gauge.builder("cortex.provider.wallet.balance", slot, p -> balance(p, currency))
                .description("The provider's wallet balance when last read (health checks, top-ups), in the currency tagged")
                .tag("provider", slot.id.value()).tag("currency", currency).register(registry);
        walletGauges.put(slot, g);
        meters.add(g);
    }

    private static double balance(ProviderSlot slot, String currency) {
        WalletBalance b = slot.balance();
        return b == null || !b.currency().equals(currency) ? Double.NaN : b.amount().doubleValue();
    }

    private void events(JobStore store, EventPump pump) {
        add(FunctionCounter.builder("cortex.events.published", pump, EventPump::delivered)
                .description("Events delivered to the engine's listeners (webhook dispatcher included)").register(registry));
        add(Gauge.builder("cortex.events.waiting", store, MicrometerBinder::outboxSize)
                .description("Events in the store's outbox not yet delivered to listeners").register(registry));
    }

    private static double outboxSize(JobStore store) {
        try {
            return store.outboxSize();
        } catch (RuntimeException e) {
            LOG.debug("cortex.events.waiting: the store could not count its outbox", e);
            return Double.NaN;
        }
    }

    private synchronized <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    private static double sum(Map<ReasonCode, LongAdder> failovers) {
        long n = 0;
        for (LongAdder a : failovers.values()) {
            n += a.sum();
        }
        return n;
    }

    private static double count(LongAdder adder) {
        return adder == null ? 0 : adder.sum();
    }

    /** Removes every meter of this engine from the registry and stops timing placements. Idempotent. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        placer.timer(null);
        for (ProviderSlot slot : slots) {
            slot.balanceObserver(null);
        }
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
        walletGauges.clear();
    }

    /**
     * The store's jobs per state, for the six {@code cortex.jobs} gauges: read at each scrape from the
     * in-memory store (counters), reused for a second from any other store (a query per read).
     */
    static final class JobCounts {
        private final JobStore store;
        private final boolean reuse;
        private final LongSupplier nanoTime;
        private Map<JobState, Long> last;
        private long readAt;

        JobCounts(JobStore store, boolean reuse, LongSupplier nanoTime) {
            this.store = store;
            this.reuse = reuse;
            this.nanoTime = nanoTime;
        }

        synchronized double of(JobState state) {
            long now = nanoTime.getAsLong();
            if (last == null || !reuse || now - readAt > COUNTS_REUSE_NANOS) {
                try {
                    last = store.countByState();
                    readAt = now;
                } catch (RuntimeException e) {
                    last = null;
                    LOG.debug("cortex.jobs: the store could not count its jobs", e);
                    return Double.NaN;
                }
            }
            return last.getOrDefault(state, 0L);
        }
    }
}
