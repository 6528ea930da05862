package io.cortex.core;

import io.cortex.core.diagnostics.Diagnosis;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.CortexListener;
import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.internal.Diagnostician;
import io.cortex.core.internal.EventPump;
import io.cortex.core.internal.MicrometerBinder;
import io.cortex.core.internal.MetricsRecorder;
import io.cortex.core.internal.Placer;
import io.cortex.core.util.MeterRegistries;
import io.cortex.core.util.Preconditions;
import io.cortex.core.internal.ProviderSlot;
import io.cortex.core.internal.ServiceHandle;
import io.cortex.core.job.Attempt;
import io.cortex.core.job.IllegalJobTransitionException;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.log.LogRotation;
import io.cortex.core.log.OperatorLog;
import io.cortex.core.metrics.MetricsHistory;
import io.cortex.core.log.OperatorLogFile;
import io.cortex.core.placement.PlacementStrategy;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.CredentialManager;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.EndpointManager;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.LogSource;
import io.cortex.core.provider.NonBlockingProvider;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderFactories;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderInfo;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.RemoteState;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.core.provider.StatusPushing;
import io.cortex.core.provider.Wallet;
import io.cortex.core.provider.WalletBalance;
import io.cortex.core.service.ManagedService;
import io.cortex.core.service.ServiceInfo;
import io.cortex.core.store.InMemoryJobStore;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.Page;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cortex engine: submit jobs, watch them move from PENDING to SUCCEEDED across providers, and
 * find out why when they do not.
 *
 * <pre>{@code
 * try (Cortex cortex = Cortex.builder().provider(myProvider).build()) {
 *     Job job = cortex.submit(JobSpec.builder().image("ghcr.io/acme/train:1.2").resources(1000, "1Gi", "10Gi").build());
 *     cortex.addListener(e -> log.info("{} {}", e.type(), e.job()));
 * }
 * }</pre>
 *
 * <p>The engine places jobs (filters with a reason for every provider skipped, then a ranking),
 * watches providers (health checks with hysteresis), fails jobs over when a provider is stuck,
 * offline or refuses credentials, polls running jobs, and keeps every change as an event. Every
 * transition is a compare-and-set on the job's version, so concurrent callers never both move a
 * job. Time comes from the injected {@link Clock}; built with {@link Builder#manual()}, the engine
 * has no background thread at all and a test drives it with {@link #tick()}.
 *
 * <p>Thread-safe.
 */
public final class Cortex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cortex.class);

    /** Service names. */
    public static final String SCHEDULER = "scheduler";
    /** Health checks of providers. */
    public static final String PROVIDER_MONITOR = "provider-monitor";
    /** Delivery of events to listeners. */
    public static final String EVENT_DISPATCHER = "event-dispatcher";
    /** Periodic metric samples. */
    public static final String METRICS = "metrics";

    private final Clock clock;
    private final JobStore store;
    private final boolean manual;
    private final Duration pendingTimeout;
    private final Duration healthCheckInterval;
    private final Duration pollInterval;
    private final Duration callTimeout;
    private final Duration congestionBackoff;
    private final long tickMillis;
    private final int healthThreshold;
    private final Placer placer;
    private final Map<ProviderId, ProviderSlot> slots;
    /** The slots in configuration order, for placement's indexed walk. */
    private final List<ProviderSlot> slotList;
    private final EventPump pump;
    private final OperatorLog operatorLog;
    private final Executor workers;
    private final ExecutorService ownedWorkers;
    private final ScheduledExecutorService scheduler;
    private final Map<String, ServiceHandle> services = new LinkedHashMap<>();
    private final Map<JobId, Instant> lastPolled = new ConcurrentHashMap<>();
    private final Map<JobId, Boolean> pollInFlight = new ConcurrentHashMap<>();
    private final Diagnostician diagnostician;
    private final AtomicLong providerEventSeq = new AtomicLong();
    private final String engineId = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFL, 36);
    private volatile Instant lastHealthRound;
    private volatile boolean closed;

    /**
     * Reports go to the event thread only on the in-memory store: there a write costs nanoseconds. On a
     * database every write is a round trip, and one thread applying every engine's reports in turn fell
     * seconds behind (acceptances recorded after the provider call timeout, jobs placed twice).
     */
    private final boolean reportsOnEventThread;
    /**
     * On a durable store only: each job a {@code submit} call is handing to a provider, as this engine last
     * wrote or read it (the highest version). The provider's report and acceptance, applied while the
     * provider's submit runs or just after, start from it instead of reading the job back, and submit
     * returns it: a job's whole way to SUCCEEDED is then two writes and no read. A stale entry (another engine moved the job) costs one failed
     * compare-and-set and a read; the entry always holds the attempt being submitted, and what it says
     * about that attempt only moves forward (a handle once recorded stays, a closed attempt stays closed).
     */
    private final Map<JobId, Job> handing = new ConcurrentHashMap<>();
    /**
     * On a durable store, when the engine runs its own threads: a job that finished inside its provider's
     * submit is written with {@link JobStore#updateLater}, so that {@code submit} returns after one commit
     * (the job stored, placed) instead of two, and the next submit's write joins the commit of this one's
     * outcome. Driven by hand, the engine writes it at once, as every other change.
     */
    private final boolean reportsLater;
    /** The jobs whose reported outcome is being written that way: their acceptance is left to that write. */
    private final Set<JobId> writingLater = ConcurrentHashMap.newKeySet();
    private final LongAdder submitted = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder placements = new LongAdder();
    private final LongAdder started = new LongAdder();
    private final LongAdder resubmitted = new LongAdder();
    private final Map<ReasonCode, LongAdder> failovers = new ConcurrentHashMap<>();
    /** Typed Object so that this class never links Micrometer; null without a registry. */
    private final Object meterRegistry;
    private final MicrometerBinder meters;
    private final MetricsRecorder metricsHistory;

    private Cortex(Builder b) {
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
        this.store = b.store == null ? new InMemoryJobStore(b.retainedFinished, b.retention, clock) : b.store;
        this.reportsOnEventThread = this.store instanceof InMemoryJobStore;
        this.manual = b.manual;
        this.reportsLater = !reportsOnEventThread && !manual;
        this.pendingTimeout = b.pendingTimeout;
        this.healthCheckInterval = b.healthCheckInterval;
        this.pollInterval = b.pollInterval;
        this.callTimeout = b.callTimeout;
        this.congestionBackoff = b.congestionBackoff;
        this.tickMillis = b.tickInterval.toMillis();
        this.healthThreshold = b.healthThreshold;
        this.placer = new Placer(b.strategy == null ? PlacementStrategy.cheapestFirst() : b.strategy, b.defaultRunTime);
        this.operatorLog = new OperatorLog(b.operatorLogCapacity, clock,
                b.operatorLogFile == null ? null : OperatorLogFile.open(b.operatorLogFile, b.operatorLogRotation));
        this.pump = new EventPump(store);
        b.listeners.forEach(pump::add);
        if (manual) {
            this.workers = Runnable::run;
            this.ownedWorkers = null;
            this.scheduler = null;
        } else {
            if (b.executor != null) {
                this.workers = b.executor;
                this.ownedWorkers = null;
            } else {
                AtomicInteger n = new AtomicInteger();
                ThreadPoolExecutor pool = new ThreadPoolExecutor(b.workerThreads, b.workerThreads, 60, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), r -> daemon(r, "cortex-worker-" + n.incrementAndGet()));
                pool.allowCoreThreadTimeOut(true);
                this.workers = pool;
                this.ownedWorkers = pool;
            }
            this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cortex-scheduler"));
        }
        Map<ProviderId, ProviderSlot> built = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (Function<ProviderContextFactory, ComputeProvider> p : b.providers) {
            ComputeProvider provider = p.apply(this::contextFor);
            if (provider instanceof StatusPushing pushing) {
                pushing.pushStatusTo(this::onReport);
            }
            Preconditions.state(!built.containsKey(provider.id()), "two providers have the id '%s'", provider.id());
            built.put(provider.id(), new ProviderSlot(provider, provider instanceof NonBlockingProvider, now));
        }
        this.slots = java.util.Collections.unmodifiableMap(built); // keeps configuration order
        this.slotList = List.copyOf(built.values());
        this.diagnostician = new Diagnostician(placer);
        this.metricsHistory = new MetricsRecorder(clock, b.metricsInterval, b.metricsSamples, this::metrics,
                () -> slots.values().stream().map(ProviderSlot::status).toList());
        services.put(SCHEDULER, ServiceHandle.periodic(SCHEDULER,
                "places pending jobs, detects stuck and overdue jobs, polls running jobs", this::schedulerPass, clock));
        services.put(PROVIDER_MONITOR, ServiceHandle.periodic(PROVIDER_MONITOR,
                "checks provider health with hysteresis, refreshes capabilities and wallets", this::monitorPass, clock));
        services.put(EVENT_DISPATCHER, ServiceHandle.managed(new PumpService(), clock));
        services.put(METRICS, ServiceHandle.periodic(METRICS,
                "samples job counts, throughput, failovers, provider status and webhook deliveries", metricsHistory::pass, clock));
        for (ManagedService s : b.services) {
            Preconditions.state(!services.containsKey(s.name()), "a service named '%s' exists already", s.name());
            services.put(s.name(), ServiceHandle.managed(s, clock));
        }
        this.meterRegistry = b.meterRegistry;
        this.meters = b.meterRegistry == null ? null : MicrometerBinder.bind(b.meterRegistry, this, slots.values(), placer,
                pump, submitted, succeeded, failed, cancelled, placements, started, resubmitted, failovers);
        // first health round before anything is placed, so placement knows capabilities and status
        healthRound(true);
        for (ServiceHandle h : services.values()) {
            h.start(scheduler, tickMillis);
        }
        operatorLog.info(SCHEDULER, null, null, null, "engine started with providers " + slots.keySet()
                + (manual ? " (driven by hand)" : ""));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }


    @FunctionalInterface
    interface ProviderContextFactory {
        ProviderContext create(ProviderId id, Map<String, String> config, Credentials credentials);
    }

    private ProviderContext contextFor(ProviderId id, Map<String, String> config, Credentials credentials) {
        return new ProviderContext(id, config, credentials, clock, this::onReport);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    // =========================================================================================
    // jobs
    // =========================================================================================

    /**
     * Submits a job: it is stored PENDING and placed at once when a provider fits. A job no provider
     * can ever run is returned FAILED with the reason (see {@link #events}). On a durable store, when
     * the engine runs its own threads, an outcome the provider reported from inside its submit may
     * still be committing when this returns: the job is returned as placed, and its events follow.
     *
     * @throws NullPointerException when {@code spec} is null
     * @throws IllegalStateException when the engine is closed
     */
    public Job submit(JobSpec spec) {
        Preconditions.notNull(spec, "spec");
        ensureOpen();
        Instant now = clock.instant();
        Job.Change created = Job.create(JobId.next(now.toEpochMilli()), spec, now);
        // placed before it is stored, and stored with its placement: one write, and no engine sharing the
        // store ever sees it PENDING while a provider fits
        Placement p = placement(created.job(), now);
        if (p == null) {
            store.insert(created.job(), created.event());
        } else {
            store.insert(List.of(created, p.change()));
            count(p.change());
        }
        submitted.increment();
        pump.wake();
        Job last = p == null ? created.job() : p.change().job();
        boolean tracked = p != null && !reportsOnEventThread;
        if (tracked) {
            handing.put(last.id(), last);
        }
        try {
            if (p != null) {
                placed(p);
            }
        } finally {
            if (tracked) {
                last = handing.remove(last.id());
            }
        }
        afterOperation();
        return tracked ? last : store.get(last.id()).orElse(last);
    }

    /**
     * The job.
     *
     * @throws NotFoundException when unknown (or dropped by retention)
     */
    public Job job(JobId id) {
        Preconditions.notNull(id, "jobId");
        return store.get(id).orElseThrow(() -> new NotFoundException("job", id.value()));
    }

    /** The job, if known. */
    public Optional<Job> findJob(JobId id) {
        return store.get(Preconditions.notNull(id, "jobId"));
    }

    /** Jobs matching {@code query}, newest first. */
    public Page<Job> jobs(JobQuery query) {
        return store.query(Preconditions.notNull(query, "query"));
    }

    /**
     * The job's history, oldest first.
     *
     * @throws NotFoundException when the job is unknown
     */
    public List<JobEvent> events(JobId id) {
        job(id);
        return store.events(id);
    }

    /**
     * Up to {@code limit} log lines of the job's current (or last) attempt after {@code afterSequence}
     * (-1 for the start). Empty when the provider keeps no logs or the job was never placed.
     *
     * @throws NotFoundException when the job is unknown
     * @throws ProviderException when the provider cannot return them
     */
    public List<LogLine> logs(JobId id, long afterSequence, int limit) {
        Preconditions.argument(limit >= 1 && limit <= 10_000, "limit must be between 1 and 10000, got %d", limit);
        Job job = job(id);
        for (int i = job.attempts().size() - 1; i >= 0; i--) {
            Attempt a = job.attempts().get(i);
            if (a.ref() == null) {
                continue;
            }
            ProviderSlot slot = slots.get(a.provider());
            LogSource source = slot == null ? null : slot.logSource();
            return source == null ? List.of() : source.logs(a.ref(), afterSequence, limit);
        }
        return List.of();
    }

    /**
     * Cancels a job (PENDING, ASSIGNED or RUNNING) and the attempt on its provider. Cancelling a
     * cancelled job returns it unchanged.
     *
     * @throws NotFoundException when the job is unknown
     * @throws IllegalJobTransitionException when the job already SUCCEEDED or FAILED
     */
    public Job cancel(JobId id) {
        ensureOpen();
        job(id);
        Job.Change c = apply(id, job -> job.state() == JobState.CANCELLED ? null
                : job.cancel("cancelled by request", clock.instant()));
        if (c == null) {
            afterOperation();
            return job(id);
        }
        cancelled.increment();
        // the attempt the cancel closed, judged on the version it applied to (not an earlier read)
        Attempt closedAttempt = c.event().from().isOnProvider() ? c.job().lastAttempt().orElse(null) : null;
        if (closedAttempt != null) {
            ProviderSlot slot = slots.get(closedAttempt.provider());
            slot.inFlight.decrement();
            if (closedAttempt.ref() != null) {
                cancelRemote(slot, closedAttempt.ref(), id);
            }
        }
        operatorLog.info(SCHEDULER, null, id.value(), ReasonCode.USER_REQUEST.name(), "job cancelled by request");
        afterOperation();
        return c.job();
    }

    /**
     * Sends a job to placement again, optionally to one named provider: a FAILED job gets a fresh
     * retry budget; a PENDING job is re-pinned; an ASSIGNED job leaves its provider (the attempt there
     * is cancelled) and is placed again.
     *
     * @param provider the provider to use for the next placement, or null for any
     * @throws NotFoundException when the job or the provider is unknown
     * @throws IllegalStateException when the job is RUNNING, SUCCEEDED or CANCELLED
     */
    public Job resubmit(JobId id, ProviderId provider) {
        ensureOpen();
        if (provider != null && !slots.containsKey(provider)) {
            throw new NotFoundException("provider", provider.value());
        }
        job(id);
        Job.Change c = apply(id, job -> {
            Instant now = clock.instant();
            return switch (job.state()) {
                case FAILED -> job.resubmit(provider, now);
                case PENDING -> job.repin(provider, now);
                case ASSIGNED -> job.requeue(ReasonCode.USER_REQUEST,
                        "resubmitted" + (provider != null ? " to " + provider : ""), now, BigDecimal.ZERO, provider);
                default -> throw new IllegalStateException("job " + id + " is " + job.state() + ": "
                        + (job.state() == JobState.RUNNING ? "cancel it first, or wait for it to finish"
                        : "a " + job.state() + " job cannot be resubmitted; submit a new job"));
            };
        });
        if (c == null) {
            throw new NotFoundException("job", id.value());
        }
        if (c.event().from() == JobState.ASSIGNED) {
            Attempt ended = c.job().lastAttempt().orElseThrow();
            ProviderSlot slot = slots.get(ended.provider());
            slot.inFlight.decrement();
            if (ended.ref() != null) {
                cancelRemote(slot, ended.ref(), id);
            }
        }
        operatorLog.info(SCHEDULER, provider == null ? null : provider.value(), id.value(), ReasonCode.USER_REQUEST.name(),
                "job resubmitted" + (provider != null ? " to " + provider : ""));
        place(id);
        afterOperation();
        return job(id);
    }

    /**
     * Changes a PENDING job's resources and places it again.
     *
     * @throws NotFoundException when the job is unknown
     * @throws IllegalStateException when the job is not PENDING
     */
    public Job updateResources(JobId id, Resources resources) {
        ensureOpen();
        Preconditions.notNull(resources, "resources");
        job(id);
        apply(id, job -> job.withResources(resources, clock.instant()));
        place(id);
        afterOperation();
        return job(id);
    }

    /**
     * Why the job is where it is: the checks an operator would run (provider status, wallet,
     * capacity, credentials, recent events), each finding with a reason code and a suggested action.
     *
     * @throws NotFoundException when the job is unknown
     */
    public Diagnosis diagnose(JobId id) {
        Job job = job(id);
        return diagnostician.diagnose(job, store.events(id), slots.values(), clock.instant());
    }

    // =========================================================================================
    // providers
    // =========================================================================================

    /** Every provider with its status, in configuration order. */
    public List<ProviderInfo> providers() {
        List<ProviderInfo> out = new ArrayList<>(slots.size());
        slots.values().forEach(s -> out.add(s.info()));
        return out;
    }

    /**
     * One provider's status.
     *
     * @throws NotFoundException when unknown
     */
    public ProviderInfo provider(ProviderId id) {
        return slot(id).info();
    }

    /**
     * Checks a provider's health now (bypassing hysteresis for the report, not for the status) and
     * returns its status after the check.
     *
     * @throws NotFoundException when unknown
     */
    public ProviderInfo checkProvider(ProviderId id) {
        ProviderSlot slot = slot(id);
        checkHealth(slot, false);
        afterOperation();
        return slot.info();
    }

    /**
     * The provider's capabilities, read from it now.
     *
     * @throws NotFoundException when unknown
     * @throws ProviderException when the provider cannot answer
     */
    public ProviderCapabilities capabilities(ProviderId id) {
        ProviderSlot slot = slot(id);
        ProviderCapabilities caps = slot.provider.capabilities();
        slot.capabilities(caps);
        return caps;
    }

    /**
     * The provider's wallet balance, read from it now.
     *
     * @throws NotFoundException when unknown
     * @throws UnsupportedOperationException when the provider has no wallet
     * @throws ProviderException when the wallet cannot be read
     */
    public WalletBalance wallet(ProviderId id) {
        ProviderSlot slot = slot(id);
        WalletBalance balance = ability(slot, slot.wallet(), "wallet").balance();
        slot.balance(balance);
        return balance;
    }

    /**
     * Tops up the provider's wallet and places jobs that waited for funds.
     *
     * @throws NotFoundException when unknown
     * @throws UnsupportedOperationException when the provider has no wallet
     * @throws IllegalArgumentException when {@code amount} is not positive
     */
    public WalletBalance topUp(ProviderId id, BigDecimal amount) {
        Preconditions.notNull(amount, "amount");
        Preconditions.argument(amount.signum() > 0, "amount must be positive, got %s", amount.toPlainString());
        ProviderSlot slot = slot(id);
        Wallet wallet = ability(slot, slot.wallet(), "wallet");
        WalletBalance balance = wallet.topUp(amount);
        slot.balance(balance);
        slot.markWalletLow(false);
        operatorLog.info("provider-wallet", id.value(), null, null, "wallet topped up by " + amount.toPlainString() + ", now " + balance);
        placePending();
        afterOperation();
        return balance;
    }

    /**
     * Asks the provider to refresh its credentials, then checks its health; jobs waiting for it are placed again.
     *
     * @throws NotFoundException when unknown
     * @throws UnsupportedOperationException when the provider cannot refresh credentials
     * @throws ProviderException with {@code AUTH_FAILED} when refresh fails
     */
    public ProviderInfo refreshAuth(ProviderId id) {
        ProviderSlot slot = slot(id);
        CredentialManager cm = ability(slot, slot.credentialManager(), "refreshable credentials");
        try {
            cm.refreshCredentials();
        } catch (ProviderException e) {
            operatorLog.error("provider-auth", id.value(), null, e.reason().name(), "credential refresh failed: " + e.getMessage());
            throw e;
        }
        credentialsChanged(slot, "credentials refreshed");
        return slot.info();
    }

    /**
     * Replaces the provider's credentials, then checks its health.
     *
     * @throws NotFoundException when unknown
     * @throws UnsupportedOperationException when the provider's credentials cannot be replaced
     * @throws ProviderException with {@code AUTH_FAILED} when the provider refuses them
     */
    public ProviderInfo updateCredentials(ProviderId id, Credentials credentials) {
        Preconditions.notNull(credentials, "credentials");
        ProviderSlot slot = slot(id);
        CredentialManager cm = ability(slot, slot.credentialManager(), "replaceable credentials");
        try {
            cm.updateCredentials(credentials);
        } catch (ProviderException e) {
            operatorLog.error("provider-auth", id.value(), null, e.reason().name(), "new credentials refused: " + e.getMessage());
            throw e;
        }
        credentialsChanged(slot, "credentials replaced");
        return slot.info();
    }

    private void credentialsChanged(ProviderSlot slot, String what) {
        slot.authFailed(false);
        operatorLog.info("provider-auth", slot.id.value(), null, ReasonCode.CREDENTIALS_UPDATED.name(), what);
        publishProviderEvent(slot, EventTypes.PROVIDER_CREDENTIALS_UPDATED, slot.status(), slot.status(),
                ReasonCode.CREDENTIALS_UPDATED, what);
        checkHealth(slot, true);
        placePending();
        afterOperation();
    }

    /**
     * The provider's endpoints.
     *
     * @throws NotFoundException when unknown
     * @throws UnsupportedOperationException when the provider has no endpoints to manage
     */
    public List<URI> endpoints(ProviderId id) {
        ProviderSlot slot = slot(id);
        return ability(slot, slot.endpointManager(), "manageable endpoints").endpoints();
    }

    /**
     * Replaces the provider's endpoints, then checks its health.
     *
     * @throws NotFoundException when unknown
     * @throws UnsupportedOperationException when the provider has no endpoints to manage
     * @throws IllegalArgumentException when the list is empty or an endpoint is not an absolute URI
     */
    public ProviderInfo updateEndpoints(ProviderId id, List<URI> endpoints) {
        Preconditions.notNull(endpoints, "endpoints");
        Preconditions.argument(!endpoints.isEmpty(), "endpoints must not be empty");
        for (int i = 0; i < endpoints.size(); i++) {
            URI u = Preconditions.notNull(endpoints.get(i), "endpoints[" + i + "]");
            Preconditions.argument(u.isAbsolute() && u.getHost() != null, "endpoints[%d] '%s' must be an absolute URI with a host", i, u);
        }
        ProviderSlot slot = slot(id);
        EndpointManager em = ability(slot, slot.endpointManager(), "manageable endpoints");
        em.updateEndpoints(List.copyOf(endpoints));
        operatorLog.info(PROVIDER_MONITOR, id.value(), null, null, "endpoints replaced with " + endpoints);
        checkHealth(slot, true);
        placePending();
        afterOperation();
        return slot.info();
    }

    private static <T> T ability(ProviderSlot slot, T ability, String what) {
        if (ability == null) {
            throw new UnsupportedOperationException("provider " + slot.id + " (type " + slot.type + ") has no " + what);
        }
        return ability;
    }

    private ProviderSlot slot(ProviderId id) {
        Preconditions.notNull(id, "providerId");
        ProviderSlot s = slots.get(id);
        if (s == null) {
            throw new NotFoundException("provider", id.value());
        }
        return s;
    }

    // =========================================================================================
    // listeners, services, logs, metrics
    // =========================================================================================

    /**
     * Adds a listener; events reach it off the engine's threads, in order for each job. Close the
     * returned handle to remove it.
     */
    public AutoCloseable addListener(CortexListener listener) {
        Preconditions.notNull(listener, "listener");
        pump.add(listener);
        return () -> pump.remove(listener);
    }

    /** The operator log: a bounded ring of structured records. */
    public OperatorLog operatorLog() {
        return operatorLog;
    }

    /** The engine's services with their status. */
    public List<ServiceInfo> services() {
        synchronized (services) {
            return services.values().stream().map(ServiceHandle::info).toList();
        }
    }

    /**
     * One service's status.
     *
     * @throws NotFoundException when no service has that name
     */
    public ServiceInfo service(String name) {
        return handle(name).info();
    }

    /**
     * Stops and starts a service (e.g. {@code metrics}) without touching the others.
     *
     * @throws NotFoundException when no service has that name
     */
    public ServiceInfo restartService(String name) {
        ServiceHandle h = handle(name);
        h.restart(scheduler, tickMillis);
        operatorLog.info(name, null, null, null, "service restarted");
        return h.info();
    }

    /**
     * Stops a service; {@link #restartService} starts it again.
     *
     * @throws NotFoundException when no service has that name
     */
    public ServiceInfo stopService(String name) {
        ServiceHandle h = handle(name);
        h.stop();
        operatorLog.warn(name, null, null, null, "service stopped by request");
        return h.info();
    }

    /**
     * Adds a service after the engine was built (e.g. a webhook dispatcher) and starts it.
     *
     * @throws IllegalStateException when a service has that name already
     */
    public void register(ManagedService service) {
        Preconditions.notNull(service, "service");
        ServiceHandle h;
        synchronized (services) {
            Preconditions.state(!services.containsKey(service.name()), "a service named '%s' exists already", service.name());
            h = ServiceHandle.managed(service, clock);
            services.put(service.name(), h);
        }
        h.start(scheduler, tickMillis);
    }

    private ServiceHandle handle(String name) {
        Preconditions.notNull(name, "service name");
        synchronized (services) {
            ServiceHandle h = services.get(name);
            if (h == null) {
                throw new NotFoundException("service", name + "' (known: " + services.keySet() + ")");
            }
            return h;
        }
    }

    /** Counters since start and the jobs held now. */
    public EngineMetrics metrics() {
        Map<ReasonCode, Long> f = new EnumMap<>(ReasonCode.class);
        failovers.forEach((k, v) -> f.put(k, v.sum()));
        return new EngineMetrics(clock.instant(), store.countByState(), submitted.sum(), succeeded.sum(), failed.sum(),
                cancelled.sum(), placements.sum(), f, pump.delivered(), store.outboxSize());
    }

    /** The bounded time series the metrics service samples (default: one sample a minute for 7 days). */
    public MetricsHistory metricsHistory() {
        return metricsHistory;
    }

    /**
     * The Micrometer {@code MeterRegistry} given to {@link Builder#meterRegistry(Object)}, if any (typed
     * {@code Object} so that an application without Micrometer never links it): the server finds the
     * Prometheus registry to serve here.
     */
    public Optional<Object> meterRegistry() {
        return Optional.ofNullable(meterRegistry);
    }

    /** The store the engine uses. */
    public JobStore store() {
        return store;
    }

    /** The engine's clock. */
    public Clock clock() {
        return clock;
    }

    /**
     * Runs one round of the engine's background work on the calling thread: health checks that are
     * due, placement of pending jobs, stuck and overdue detection, polling, metrics, and delivery of
     * events to listeners. With {@link Builder#manual()} this is how a test drives the engine; with
     * background threads it is harmless.
     */
    public void tick() {
        ensureOpen();
        handleIfRunning(PROVIDER_MONITOR);
        handleIfRunning(SCHEDULER);
        handleIfRunning(METRICS);
        afterOperation();
    }

    private void handleIfRunning(String name) {
        ServiceHandle h;
        synchronized (services) {
            h = services.get(name);
        }
        h.runOnce();
    }

    /**
     * Delivers every waiting event to listeners now, on the calling thread (when driven by hand,
     * every operation does this already).
     */
    public void drainEvents() {
        if (handle(EVENT_DISPATCHER).isRunning()) {
            pump.drain();
        }
    }

    private void afterOperation() {
        if (manual) {
            drainEvents();
        }
    }

    private void ensureOpen() {
        Preconditions.state(!closed, "this Cortex engine is closed");
    }

    /** Stops background work, delivers waiting events (bounded), closes providers. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        awaitWritesLater();
        List<ServiceHandle> all;
        synchronized (services) {
            all = new ArrayList<>(services.values());
        }
        for (ServiceHandle h : all) {
            if (!h.name().equals(EVENT_DISPATCHER)) {
                h.stop();
            }
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (ownedWorkers != null) {
            ownedWorkers.shutdown();
            try {
                ownedWorkers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ownedWorkers.shutdownNow();
        }
        services.get(EVENT_DISPATCHER).stop();
        pump.drain();
        if (meters != null) {
            meters.close();
        }
        for (ProviderSlot s : slots.values()) {
            try {
                s.provider.close();
            } catch (RuntimeException e) {
                LOG.warn("provider {} failed to close", s.id, e);
            }
        }
        store.close();
        operatorLog.close();
    }

    // =========================================================================================
    // the engine: transitions
    // =========================================================================================

    /**
     * Applies a change to a job with compare-and-set, recomputing on a clash. {@code change} returns
     * null when there is nothing to do; null is returned as well when the job is no longer stored.
     */
    private Job.Change apply(JobId id, Function<Job, Job.Change> change) {
        return apply(id, null, change);
    }

    /** {@link #apply} starting from {@code seed} (when not null) instead of reading the job first. */
    private Job.Change apply(JobId id, Job seed, Function<Job, Job.Change> change) {
        return applySteps(id, seed, job -> {
            Job.Change c = change.apply(job);
            return c == null ? null : List.of(c);
        });
    }

    /**
     * Like {@link #apply}, for a move made of successive changes (started and finished at once) written
     * as one compare-and-set; returns the last change.
     */
    private Job.Change applySteps(JobId id, Job seed, Function<Job, List<Job.Change>> steps) {
        Job next = seed;
        while (true) {
            Job current = next;
            if (current == null) {
                current = store.get(id).orElse(null);
                if (current == null) {
                    return null; // dropped by retention meanwhile: nothing left to move
                }
                learned(current);
            }
            next = null;
            List<Job.Change> changes = steps.apply(current);
            if (changes == null) {
                return null;
            }
            Job.Change last = changes.get(changes.size() - 1);
            if (changes.size() == 1 ? store.update(last.job(), current.version(), last.event())
                    : store.update(current.version(), changes)) {
                pump.wake();
                for (Job.Change c : changes) {
                    count(c);
                }
                learned(last.job());
                return last;
            }
        }
    }

    /** Keeps {@link #handing} at the newest version this engine wrote or read of a job being handed over. */
    private void learned(Job job) {
        if (!reportsOnEventThread && !handing.isEmpty()) {
            handing.computeIfPresent(job.id(), (id, known) -> known.version() >= job.version() ? known : job);
        }
    }

    /**
     * The job as this engine last wrote or read it while handing {@code attempt} to its provider, else as stored
     * (null when no longer stored).
     */
    private Job seen(AttemptRef attempt) {
        Job known = reportsOnEventThread ? null : handing.get(attempt.jobId());
        return known != null && attemptOf(known, attempt) != null ? known : store.get(attempt.jobId()).orElse(null);
    }

    private void count(Job.Change c) {
        JobEvent e = c.event();
        if (!e.isTransition()) {
            return;
        }
        switch (e.to()) {
            case ASSIGNED -> placements.increment();
            case RUNNING -> started.increment();
            case SUCCEEDED -> succeeded.increment();
            case FAILED -> failed.increment();
            case PENDING -> {
                if (e.from() == JobState.ASSIGNED || e.from() == JobState.RUNNING) {
                    failovers.computeIfAbsent(e.reason(), r -> new LongAdder()).increment();
                } else if (e.from() == JobState.FAILED) {
                    resubmitted.increment();
                }
            }
            default -> { }
        }
    }

    /** Places a PENDING job if a provider fits; fails it when none ever can; else records why it waits. */
    private void place(JobId id) {
        while (true) {
            Job job = store.get(id).orElse(null);
            if (job == null || job.state() != JobState.PENDING || closed) {
                return;
            }
            Placement p = placement(job, clock.instant());
            if (p == null) {
                return;
            }
            if (casOnce(job, p.change()) != null) {
                placed(p);
                return;
            }
        }
    }

    /**
     * What placement makes of a PENDING job: assigned to the provider chosen, failed when no provider
     * ever can run it, or waiting with the reason (null when that reason is recorded already).
     */
    private record Placement(Job.Change change, ProviderSlot slot, Placer.Decision decision) {}

    /** Decides where {@code job} goes now; warns of the providers whose wallet is too low for it. */
    private Placement placement(Job job, Instant now) {
        Placer.Decision d = placer.decide(job, slotList, now);
        for (ProviderSlot low : d.walletLow()) {
            if (low.markWalletLow(true)) {
                publishProviderEvent(low, EventTypes.PROVIDER_WALLET_LOW, low.status(), low.status(),
                        ReasonCode.INSUFFICIENT_FUNDS, "wallet holds " + low.balance() + ", too little for job " + job.id());
                operatorLog.warn("provider-wallet", low.id.value(), job.id().value(), ReasonCode.INSUFFICIENT_FUNDS.name(),
                        "wallet holds " + low.balance() + ", too little for the job");
            }
        }
        ProviderSlot slot = d.chosen();
        if (slot != null) {
            return new Placement(job.assign(slot.id, now, d.notes()), slot, d);
        }
        if (d.permanent()) {
            return new Placement(job.fail(d.reason(), d.message(), now, null, d.notes()), null, d);
        }
        if (job.lastReason() != d.reason() || !job.lastMessage().equals(d.message())) {
            return new Placement(job.waiting(d.reason(), d.message(), now, d.notes()), null, d);
        }
        return null;
    }

    /** What follows a stored placement: the call to the provider chosen, or the operator's note of a failure. */
    private void placed(Placement p) {
        Job job = p.change().job();
        ProviderSlot slot = p.slot();
        if (slot != null) {
            slot.inFlight.increment();
            AttemptRef attempt = new AttemptRef(job.id(), job.attempt());
            call(slot, () -> submitTo(slot, job.spec(), attempt, true));
        } else if (p.decision().permanent()) {
            operatorLog.warn(SCHEDULER, null, job.id().value(), p.decision().reason().name(), p.decision().message());
        }
    }

    private Job.Change casOnce(Job current, Job.Change c) {
        if (store.update(c.job(), current.version(), c.event())) {
            pump.wake();
            count(c);
            learned(c.job());
            return c;
        }
        return null;
    }

    private void submitTo(ProviderSlot slot, JobSpec spec, AttemptRef attempt, boolean mayRefreshAuth) {
        ProviderJobRef ref;
        try {
            ref = slot.provider.submit(spec, attempt);
        } catch (ProviderException e) {
            if (e.reason() == ReasonCode.AUTH_FAILED && mayRefreshAuth && slot.credentialManager() != null) {
                if (tryRefresh(slot, attempt.jobId(), e)) {
                    submitTo(slot, spec, attempt, false);
                    return;
                }
            }
            submitFailed(slot, attempt, e.reason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            submitFailed(slot, attempt, ReasonCode.PROVIDER_ERROR, e.toString());
            return;
        }
        if (ref == null) {
            submitFailed(slot, attempt, ReasonCode.PROVIDER_ERROR, "the provider returned no job handle");
            return;
        }
        slot.accepting();
        // behind any status the provider pushed from inside submit (see onReport): that report records the
        // handle together with its change, and this finds it recorded
        if (reportsOnEventThread) {
            pump.execute(() -> accepted(slot, attempt, ref));
        } else {
            accepted(slot, attempt, ref);
        }
    }

    /** On close: lets the outcomes being written without waiting commit (or be applied again), for at most 10 s. */
    private void awaitWritesLater() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!writingLater.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private boolean tryRefresh(ProviderSlot slot, JobId job, ProviderException cause) {
        operatorLog.warn("provider-auth", slot.id.value(), job == null ? null : job.value(), ReasonCode.AUTH_FAILED.name(),
                "credentials refused (" + cause.getMessage() + "); refreshing them and retrying once");
        try {
            slot.credentialManager().refreshCredentials();
            operatorLog.info("provider-auth", slot.id.value(), null, ReasonCode.CREDENTIALS_UPDATED.name(), "credentials refreshed");
            return true;
        } catch (RuntimeException e) {
            operatorLog.error("provider-auth", slot.id.value(), null, ReasonCode.AUTH_FAILED.name(),
                    "credential refresh failed: " + e.getMessage() + "; update the credentials: PUT /api/plugin-core/providers/"
                            + slot.id + "/credentials");
            return false;
        }
    }

    private void submitFailed(ProviderSlot slot, AttemptRef attempt, ReasonCode reason, String message) {
        Instant now = clock.instant();
        switch (reason) {
            case NO_CAPACITY -> slot.congested(now, congestionBackoff);
            case AUTH_FAILED -> {
                slot.authFailed(true);
                ProviderSlot.Observation o = slot.force(ProviderStatus.DEGRADED, ReasonCode.AUTH_FAILED, message, now);
                statusChanged(slot, o, ReasonCode.AUTH_FAILED, message);
            }
            case INSUFFICIENT_FUNDS -> refreshWallet(slot);
            default -> { }
        }
        operatorLog.warn(SCHEDULER, slot.id.value(), attempt.jobId().value(), reason.name(), "submit failed: " + message);
        endAttempt(attempt, slot, reason, "attempt " + attempt.number() + " on " + slot.id + " failed: " + message, null,
                !reason.isRetryableElsewhere());
    }

    private void accepted(ProviderSlot slot, AttemptRef attempt, ProviderJobRef ref) {
        if (reportsLater && writingLater.contains(attempt.jobId())) {
            return; // the outcome being written records the handle, and applies this again should it not commit
        }
        Job seen = seen(attempt);
        if (seen == null) {
            return; // finished and dropped by retention already
        }
        Attempt known = attemptOf(seen, attempt);
        if (known != null && ref.equals(known.ref())) {
            return; // the provider pushed its progress with this handle during submit: nothing to record
        }
        Job.Change c = apply(attempt.jobId(), seen, job -> {
            Attempt a = attemptOf(job, attempt);
            if (a == null || a.ref() != null || !a.isOpen()) {
                return null;
            }
            return job.accepted(ref, clock.instant());
        });
        if (c == null) {
            Job job = seen(attempt); // as apply last read it, when it had to (another engine recorded the handle first)
            Attempt a = job == null ? null : attemptOf(job, attempt);
            if (a == null || (!a.isOpen() && a.ref() == null)) {
                // the engine moved on before the provider answered: do not leave an orphan running
                operatorLog.info(SCHEDULER, slot.id.value(), attempt.jobId().value(), null,
                        "provider accepted attempt " + attempt.number() + " after the engine moved on; cancelling it there");
                cancelRemote(slot, ref, attempt.jobId());
            }
        }
    }

    private static Attempt attemptOf(Job job, AttemptRef attempt) {
        int i = attempt.number() - 1;
        return i < job.attempts().size() ? job.attempts().get(i) : null;
    }

    /**
     * A provider pushed a status change. On the in-memory store it is applied on the event pump's thread
     * when the engine runs its own threads (on the calling thread when driven by hand, and always on a
     * durable store, see {@link #reportsOnEventThread}): a provider that finishes a job inside
     * {@code submit} would otherwise have the submitting thread do the whole lifecycle, while the pump's
     * core idles. Reports are applied in the order they came, each job's moves stay compare-and-sets.
     */
    private void onReport(AttemptRef attempt, ProviderJobRef ref, RemoteStatus status) {
        if (attempt == null || status == null || closed) {
            return;
        }
        if (reportsOnEventThread) {
            pump.execute(() -> applyReport(attempt, ref, status));
        } else {
            applyReport(attempt, ref, status);
        }
    }

    private void applyReport(AttemptRef attempt, ProviderJobRef ref, RemoteStatus status) {
        Job job = seen(attempt);
        Attempt a = job == null ? null : attemptOf(job, attempt);
        ProviderSlot slot = a == null ? null : slots.get(a.provider());
        if (slot != null) {
            observe(slot, attempt, ref, status, job);
        }
    }

    /**
     * Moves the job as far as the provider's report says, along allowed transitions only, starting from
     * {@code seen} (the job as read or written last, holding the attempt).
     */
    private void observe(ProviderSlot slot, AttemptRef attempt, ProviderJobRef ref, RemoteStatus status, Job seen) {
        Instant now = clock.instant();
        switch (status.state()) {
            case QUEUED -> recordRef(slot, attempt, ref, now, seen);
            case RUNNING -> apply(attempt.jobId(), seen, job -> current(job, attempt, slot) != null
                    && job.state() == JobState.ASSIGNED ? job.start(now, ref) : null);
            case SUCCEEDED -> {
                // a job the engine has not seen start (it finished inside the provider's submit, or between two
                // polls) starts and succeeds in one write
                Function<Job, List<Job.Change>> steps = job -> {
                    if (current(job, attempt, slot) == null) {
                        return null;
                    }
                    if (job.state() == JobState.ASSIGNED) {
                        Job.Change started = job.start(now, ref);
                        return List.of(started, started.job().succeed(now, attemptCost(slot, started.job(), status, now)));
                    }
                    return job.state() == JobState.RUNNING ? List.of(job.succeed(now, attemptCost(slot, job, status, now))) : null;
                };
                if (reportsLater && seen != null && seen == handing.get(attempt.jobId())) { // inside this engine's submit
                    writeLater(slot, attempt, ref, status, seen, steps.apply(seen));
                } else if (applySteps(attempt.jobId(), seen, steps) != null) {
                    finishedOn(slot, attempt.jobId());
                }
            }
            case FAILED -> {
                recordRef(slot, attempt, ref, now, seen); // a failure pushed from inside submit: keep the handle (logs)
                ReasonCode reason = status.reason() == null ? ReasonCode.JOB_FAILED : status.reason();
                String msg = "attempt " + attempt.number() + " on " + slot.id + " failed"
                        + (status.exitCode() != null ? " with exit code " + status.exitCode() : "")
                        + (status.message().isEmpty() ? "" : ": " + status.message());
                endAttempt(attempt, slot, reason, msg, status, !reason.isRetryableElsewhere());
            }
            case LOST, CANCELLED -> {
                recordRef(slot, attempt, ref, now, seen);
                endAttempt(attempt, slot, ReasonCode.PROVIDER_LOST_JOB,
                        "provider " + slot.id + " lost attempt " + attempt.number()
                                + (status.message().isEmpty() ? "" : ": " + status.message()), status, false);
            }
            default -> { }
        }
    }

    /** What follows a job's final move written after its provider said it finished. */
    private void finishedOn(ProviderSlot slot, JobId id) {
        slot.inFlight.decrement();
        lastPolled.remove(id);
    }

    /**
     * Writes a job's moves reported from inside its provider's submit without waiting for the commit
     * (see {@link #reportsLater}). When the write is refused (another engine moved the job meanwhile) or
     * fails, the report and the acceptance are applied again the ordinary way, from the job as stored,
     * on a worker.
     */
    private void writeLater(ProviderSlot slot, AttemptRef attempt, ProviderJobRef ref, RemoteStatus status, Job seen,
            List<Job.Change> changes) {
        if (changes == null) {
            return;
        }
        JobId id = attempt.jobId();
        writingLater.add(id);
        CompletionStage<Boolean> written;
        try {
            written = store.updateLater(seen.version(), changes);
        } catch (RuntimeException e) {
            writingLater.remove(id);
            throw e;
        }
        written.whenComplete((applied, error) -> {
            if (Boolean.TRUE.equals(applied)) {
                pump.wake();
                for (Job.Change c : changes) {
                    count(c);
                }
                learned(changes.get(changes.size() - 1).job()); // before the removal: acceptance then finds the handle
                writingLater.remove(id);
                finishedOn(slot, id);
                return;
            }
            writingLater.remove(id);
            if (error != null) {
                LOG.warn("writing the outcome of job {} that {} reported failed ({}); applying it again", id, slot.id, error.toString());
            }
            Runnable again = () -> {
                applyReport(attempt, ref, status);
                accepted(slot, attempt, ref);
            };
            try {
                workers.execute(again);
            } catch (RejectedExecutionException e) {
                LOG.warn("job {}: its outcome reported by {} is left to the next poll of the provider (the engine is closing)", id,
                        slot.id);
            }
        });
    }

    /** Records the provider's handle on the open attempt when it has none yet. */
    private void recordRef(ProviderSlot slot, AttemptRef attempt, ProviderJobRef ref, Instant now, Job seen) {
        apply(attempt.jobId(), seen, job -> {
            Attempt a = current(job, attempt, slot);
            return a != null && a.ref() == null && ref != null ? job.accepted(ref, now) : null;
        });
    }

    private static Attempt current(Job job, AttemptRef attempt, ProviderSlot slot) {
        if (job.attempt() != attempt.number() || job.state().isFinished()) {
            return null;
        }
        Attempt a = job.openAttempt().orElse(null);
        return a != null && a.provider().equals(slot.id) ? a : null;
    }

    private BigDecimal attemptCost(ProviderSlot slot, Job job, RemoteStatus status, Instant now) {
        if (status != null && status.cost() != null) {
            return status.cost();
        }
        ProviderCapabilities caps = slot.capabilities();
        Attempt a = job.openAttempt().orElse(null);
        if (caps == null || a == null || a.startedAt() == null || caps.pricePerHour().signum() == 0) {
            return BigDecimal.ZERO;
        }
        return Placer.cost(caps.pricePerHour(), Duration.between(a.startedAt(), now));
    }

    /**
     * Ends the open attempt {@code attempt} for {@code reason}: the job fails when {@code fatal}, when
     * the budget is spent, or when it was running and may not rerun; otherwise it goes back to
     * PENDING and is placed again.
     */
    private boolean endAttempt(AttemptRef attempt, ProviderSlot slot, ReasonCode reason, String message, RemoteStatus status,
            boolean fatal) {
        Job.Change c = apply(attempt.jobId(), job -> {
            if (current(job, attempt, slot) == null) {
                return null;
            }
            Instant now = clock.instant();
            BigDecimal cost = attemptCost(slot, job, status, now);
            boolean wasRunning = job.state() == JobState.RUNNING;
            boolean lost = reason == ReasonCode.PROVIDER_LOST_JOB || reason == ReasonCode.PROVIDER_OFFLINE;
            if (fatal || (wasRunning && lost && !job.spec().rerunOnProviderLoss())) {
                return job.fail(reason, message, now, cost, List.of());
            }
            Job.Change requeued = job.requeue(reason, message, now, cost, null);
            if (requeued.job().attemptsLeft() == 0) {
                return job.fail(ReasonCode.RETRY_BUDGET_EXHAUSTED, reason, message + "; no attempt left ("
                        + job.spec().maxAttempts() + " used)", now, cost, List.of());
            }
            return requeued;
        });
        if (c == null) {
            return false;
        }
        slot.inFlight.decrement();
        lastPolled.remove(attempt.jobId());
        if (c.job().state() == JobState.PENDING) {
            operatorLog.warn(SCHEDULER, slot.id.value(), attempt.jobId().value(), reason.name(), message + "; failing over");
            place(attempt.jobId());
        } else {
            operatorLog.warn(SCHEDULER, slot.id.value(), attempt.jobId().value(), c.event().reason().name(), c.event().message());
        }
        return true;
    }

    private void cancelRemote(ProviderSlot slot, ProviderJobRef ref, JobId job) {
        call(slot, () -> {
            try {
                slot.provider.cancel(ref);
            } catch (RuntimeException e) {
                operatorLog.warn(SCHEDULER, slot.id.value(), job.value(), null, "cancel on the provider failed: " + e.getMessage());
            }
        });
    }

    /** Runs a provider call on the calling thread (non-blocking providers, manual mode) or on a worker. */
    private void call(ProviderSlot slot, Runnable r) {
        if (slot.nonBlocking || manual) {
            r.run();
            return;
        }
        try {
            workers.execute(r);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                LOG.warn("worker pool refused a provider call for {}; running it inline", slot.id);
                r.run();
            }
        }
    }

    // =========================================================================================
    // the engine: background passes
    // =========================================================================================

    private void schedulerPass() {
        Instant now = clock.instant();
        for (Job job : store.activeJobs()) {
            switch (job.state()) {
                case PENDING -> place(job.id());
                case ASSIGNED, RUNNING -> watch(job, now);
                default -> { }
            }
        }
    }

    private void watch(Job job, Instant now) {
        Attempt a = job.openAttempt().orElse(null);
        if (a == null) {
            return;
        }
        ProviderSlot slot = slots.get(a.provider());
        if (slot == null) {
            return;
        }
        AttemptRef ref = new AttemptRef(job.id(), a.number());
        if (job.state() == JobState.ASSIGNED && a.ref() == null) {
            if (!a.assignedAt().plus(callTimeout).isAfter(now)) {
                endAttempt(ref, slot, ReasonCode.PROVIDER_TIMEOUT, "provider " + slot.id + " did not answer the submit of attempt "
                        + a.number() + " within " + callTimeout, null, false);
            }
            return;
        }
        if (job.state() == JobState.ASSIGNED && !a.assignedAt().plus(pendingTimeout).isAfter(now)) {
            if (endAttempt(ref, slot, ReasonCode.STUCK_PENDING, "attempt " + a.number() + " on " + slot.id
                    + " did not start within the pending timeout of " + pendingTimeout, null, false)) {
                cancelRemote(slot, a.ref(), job.id());
            }
            return;
        }
        if (job.state() == JobState.RUNNING && a.startedAt() != null && job.spec().maxRunTime().isPresent()
                && !a.startedAt().plus(job.spec().maxRunTime().get()).isAfter(now)) {
            if (endAttempt(ref, slot, ReasonCode.MAX_RUN_TIME_EXCEEDED, "ran longer than its max run time of "
                    + job.spec().maxRunTime().get() + " on " + slot.id, null, true)) {
                cancelRemote(slot, a.ref(), job.id());
            }
            return;
        }
        Instant last = lastPolled.get(job.id());
        // the first poll comes a poll interval after placement: a pushing provider has usually told us by then
        Instant due = (last != null ? last : a.assignedAt()).plus(pollInterval);
        if (due.isAfter(now)) {
            return;
        }
        if (pollInFlight.putIfAbsent(job.id(), Boolean.TRUE) != null) {
            return;
        }
        lastPolled.put(job.id(), now);
        ProviderJobRef providerRef = a.ref();
        call(slot, () -> {
            try {
                RemoteStatus status;
                try {
                    status = slot.provider.status(providerRef);
                } catch (ProviderException e) {
                    if (e.reason() == ReasonCode.PROVIDER_LOST_JOB) {
                        status = RemoteStatus.lost(e.getMessage());
                    } else {
                        operatorLog.warn(SCHEDULER, slot.id.value(), job.id().value(), e.reason().name(),
                                "status poll failed: " + e.getMessage());
                        return;
                    }
                }
                if (status != null) {
                    observe(slot, ref, providerRef, status, null);
                }
            } catch (RuntimeException e) {
                operatorLog.warn(SCHEDULER, slot.id.value(), job.id().value(), ReasonCode.PROVIDER_ERROR.name(),
                        "status poll failed: " + e);
            } finally {
                pollInFlight.remove(job.id());
            }
        });
    }

    private void monitorPass() {
        healthRound(false);
    }

    private void healthRound(boolean force) {
        Instant now = clock.instant();
        Instant last = lastHealthRound;
        if (!force && last != null && last.plus(healthCheckInterval).isAfter(now)) {
            // a check still in flight for too long counts as a failed check
            for (ProviderSlot s : slots.values()) {
                Instant started = s.healthCallStartedAt();
                if (started != null && !started.plus(callTimeout).isAfter(now)) {
                    s.healthCallStartedAt(null);
                    applyHealth(s, new ProviderHealth(ProviderStatus.OFFLINE, ReasonCode.PROVIDER_TIMEOUT,
                            "health check did not answer within " + callTimeout), false);
                }
            }
            return;
        }
        lastHealthRound = now;
        for (ProviderSlot s : slots.values()) {
            if (s.healthCallStartedAt() != null && !force) {
                continue;
            }
            s.healthCallStartedAt(now);
            call(s, () -> checkHealth(s, force));
        }
    }

    private void checkHealth(ProviderSlot slot, boolean immediate) {
        ProviderHealth health;
        try {
            health = slot.provider.checkHealth();
            if (health == null) {
                health = ProviderHealth.offline("the provider returned no health report");
            }
        } catch (ProviderException e) {
            health = new ProviderHealth(e.reason() == ReasonCode.AUTH_FAILED ? ProviderStatus.DEGRADED : ProviderStatus.OFFLINE,
                    e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            health = new ProviderHealth(ProviderStatus.OFFLINE, ReasonCode.PROVIDER_OFFLINE, e.toString());
        } finally {
            slot.healthCallStartedAt(null);
        }
        if (health.reason() == ReasonCode.AUTH_FAILED && slot.credentialManager() != null && tryRefresh(slot, null,
                new ProviderException(ReasonCode.AUTH_FAILED, health.message()))) {
            try {
                health = slot.provider.checkHealth();
            } catch (RuntimeException e) {
                health = new ProviderHealth(ProviderStatus.DEGRADED, ReasonCode.AUTH_FAILED, e.getMessage());
            }
        }
        if (health.status() != ProviderStatus.OFFLINE) {
            try {
                slot.capabilities(slot.provider.capabilities());
            } catch (RuntimeException e) {
                LOG.debug("capabilities of {} could not be read", slot.id, e);
            }
            refreshWallet(slot);
        }
        applyHealth(slot, health, immediate);
    }

    private void refreshWallet(ProviderSlot slot) {
        Wallet w = slot.wallet();
        if (w == null) {
            return;
        }
        try {
            slot.balance(w.balance());
        } catch (RuntimeException e) {
            LOG.debug("wallet of {} could not be read", slot.id, e);
        }
    }

    private void applyHealth(ProviderSlot slot, ProviderHealth health, boolean immediate) {
        Instant now = clock.instant();
        slot.authFailed(health.reason() == ReasonCode.AUTH_FAILED);
        ProviderSlot.Observation o = immediate
                ? slot.force(health.status(), health.reason(), health.message(), now)
                : slot.observe(health.status(), health.reason(), health.message(), now, healthThreshold);
        ReasonCode why = health.reason() != null ? health.reason() : ReasonCode.HEALTH_CHANGED;
        statusChanged(slot, o, why, health.message());
    }

    private void statusChanged(ProviderSlot slot, ProviderSlot.Observation o, ReasonCode why, String message) {
        if (!o.changed()) {
            return;
        }
        String text = "provider " + slot.id + " is now " + o.after() + " (was " + o.before() + ")"
                + (message == null || message.isEmpty() ? "" : ": " + message);
        if (o.after() == ProviderStatus.ONLINE) {
            operatorLog.info(PROVIDER_MONITOR, slot.id.value(), null, why.name(), text);
        } else {
            operatorLog.warn(PROVIDER_MONITOR, slot.id.value(), null, why.name(), text);
        }
        publishProviderEvent(slot, EventTypes.PROVIDER_STATUS_CHANGED, o.before(), o.after(), why, text);
        if (o.after() == ProviderStatus.OFFLINE) {
            moveJobsOff(slot, message);
        } else if (o.before() == ProviderStatus.OFFLINE) {
            cancelOrphans(slot);
            placePending();
        } else if (o.before() != ProviderStatus.ONLINE) {
            placePending();
        }
    }

    private void moveJobsOff(ProviderSlot slot, String message) {
        for (Job job : store.activeJobs()) {
            Attempt a = job.openAttempt().orElse(null);
            if (a == null || !a.provider().equals(slot.id)) {
                continue;
            }
            boolean moved = endAttempt(new AttemptRef(job.id(), a.number()), slot, ReasonCode.PROVIDER_OFFLINE,
                    "provider " + slot.id + " went offline" + (message == null || message.isEmpty() ? "" : " (" + message + ")")
                            + " while attempt " + a.number() + " was " + job.state(), null, false);
            if (moved && a.ref() != null) {
                // cancelled there once it answers again, so it does not run twice
                slot.cancelWhenBack(job.id(), a.ref());
            }
        }
    }

    /** Cancels on a provider that answers again the attempts the engine moved off it while it was offline. */
    private void cancelOrphans(ProviderSlot slot) {
        for (Map.Entry<JobId, ProviderJobRef> orphan : slot.takeOrphans()) {
            operatorLog.info(PROVIDER_MONITOR, slot.id.value(), orphan.getKey().value(), ReasonCode.PROVIDER_OFFLINE.name(),
                    "provider is back: cancelling attempt " + orphan.getValue() + " that was moved off it while it was offline");
            cancelRemote(slot, orphan.getValue(), orphan.getKey());
        }
    }

    private void placePending() {
        if (closed) {
            return;
        }
        for (Job job : store.activeJobs()) {
            if (job.state() == JobState.PENDING) {
                place(job.id());
            }
        }
    }

    private void publishProviderEvent(ProviderSlot slot, String type, ProviderStatus from, ProviderStatus to, ReasonCode reason,
            String message) {
        Instant now = clock.instant();
        // unique across engines sharing one store: the engine's own random id is part of it
        String id = "evt_p_" + slot.id + "_" + engineId + "_" + now.toEpochMilli() + "_" + providerEventSeq.incrementAndGet();
        store.publish(CortexEvent.of(id, type, new ProviderChange(slot.id, from, to, reason, message, now)));
        pump.wake();
    }

    private final class PumpService implements ManagedService {
        private volatile boolean running;

        @Override
        public String name() {
            return EVENT_DISPATCHER;
        }

        @Override
        public String description() {
            return "delivers events to listeners, in order for each job";
        }

        @Override
        public void start() {
            running = true;
            if (!manual) {
                pump.start();
            }
        }

        @Override
        public void stop() {
            running = false;
            if (!manual) {
                pump.stop(5_000);
            }
        }

        @Override
        public boolean isRunning() {
            return running && (manual || pump.isRunning());
        }
    }

    // =========================================================================================
    // builder
    // =========================================================================================

    /**
     * Builds a {@link Cortex}. Each option may be set once; setting it again is an error that says
     * what it was set to.
     */
    public static final class Builder {
        private Clock clock;
        private JobStore store;
        private PlacementStrategy strategy;
        private boolean manual;
        private Executor executor;
        private Duration pendingTimeout = Duration.ofMinutes(5);
        private Duration healthCheckInterval = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofSeconds(10);
        private Duration callTimeout = Duration.ofSeconds(30);
        private Duration congestionBackoff = Duration.ofSeconds(30);
        private Duration tickInterval = Duration.ofMillis(500);
        private Duration metricsInterval = MetricsHistory.DEFAULT_INTERVAL;
        private Duration defaultRunTime = Duration.ofHours(1);
        private Duration retention = InMemoryJobStore.DEFAULT_RETENTION;
        private int retainedFinished = InMemoryJobStore.DEFAULT_RETAINED_FINISHED;
        private int healthThreshold = 2;
        private int workerThreads = 16;
        private int operatorLogCapacity = OperatorLog.DEFAULT_CAPACITY;
        private int metricsSamples = MetricsHistory.DEFAULT_CAPACITY;
        private Path operatorLogFile;
        private LogRotation operatorLogRotation;
        private final java.util.Set<String> set = new java.util.HashSet<>();
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final List<Function<ProviderContextFactory, ComputeProvider>> providers = new ArrayList<>();
        private final List<CortexListener> listeners = new ArrayList<>();
        private final List<ManagedService> services = new ArrayList<>();
        private ProviderFactories factories;
        private Object meterRegistry;

        private Builder() {}

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set to " + values.get(option));
            }
            values.put(option, value);
        }

        private static Duration positive(String name, Duration d) {
            Preconditions.notNull(d, name);
            Preconditions.argument(!d.isNegative() && !d.isZero(), "%s must be positive, got %s", name, d);
            return d;
        }

        /** The clock every time in the engine comes from (default: system UTC). */
        public Builder clock(Clock value) {
            once("clock", value);
            this.clock = Preconditions.notNull(value, "clock");
            return this;
        }

        /** The job store (default: {@link InMemoryJobStore} with {@link #retention}). */
        public Builder store(JobStore value) {
            once("store", value);
            this.store = Preconditions.notNull(value, "store");
            return this;
        }

        /** How the default in-memory store bounds finished jobs: at most {@code count}, none older than {@code age}. */
        public Builder retention(int count, Duration age) {
            once("retention", count + " jobs / " + age);
            Preconditions.argument(count >= 0, "retention count must not be negative, got %d", count);
            this.retainedFinished = count;
            this.retention = Preconditions.notNull(age, "retention age");
            return this;
        }

        /** How providers that pass the filters are ranked (default: {@link PlacementStrategy#cheapestFirst()}). */
        public Builder placementStrategy(PlacementStrategy value) {
            once("placementStrategy", value);
            this.strategy = Preconditions.notNull(value, "placementStrategy");
            return this;
        }

        /** How long a job may sit ASSIGNED without starting before it fails over (default 5 minutes). */
        public Builder pendingTimeout(Duration value) {
            once("pendingTimeout", value);
            this.pendingTimeout = positive("pendingTimeout", value);
            return this;
        }

        /** How often providers' health is checked, in clock time (default 30 s). */
        public Builder healthCheckInterval(Duration value) {
            once("healthCheckInterval", value);
            this.healthCheckInterval = positive("healthCheckInterval", value);
            return this;
        }

        /**
         * How many health checks in a row must agree before a provider's status changes (default 2):
         * one blip does not flap a provider.
         */
        public Builder healthThreshold(int value) {
            once("healthThreshold", value);
            Preconditions.argument(value >= 1 && value <= 100, "healthThreshold must be between 1 and 100, got %d", value);
            this.healthThreshold = value;
            return this;
        }

        /** How often a running job's provider is asked for its status, in clock time (default 10 s). */
        public Builder pollInterval(Duration value) {
            once("pollInterval", value);
            this.pollInterval = positive("pollInterval", value);
            return this;
        }

        /** How long a provider call may take before it counts as timed out (default 30 s). */
        public Builder callTimeout(Duration value) {
            once("callTimeout", value);
            this.callTimeout = positive("callTimeout", value);
            return this;
        }

        /** How long placement avoids a provider that reported NO_CAPACITY (default 30 s). */
        public Builder congestionBackoff(Duration value) {
            once("congestionBackoff", value);
            this.congestionBackoff = positive("congestionBackoff", value);
            return this;
        }

        /** How often, in real time, background passes run (default 500 ms). Ignored with {@link #manual()}. */
        public Builder tickInterval(Duration value) {
            once("tickInterval", value);
            this.tickInterval = positive("tickInterval", value);
            return this;
        }

        /**
         * How often the metrics service samples, in clock time (default 1 minute, at the minute), and how
         * many samples {@link Cortex#metricsHistory()} keeps (default 10,080: 7 days of minutes).
         */
        public Builder metrics(Duration interval, int samples) {
            once("metrics", interval + " x " + samples);
            this.metricsInterval = positive("metrics interval", interval);
            Preconditions.argument(samples >= 1, "metrics samples must be at least 1, got %d", samples);
            this.metricsSamples = samples;
            return this;
        }

        /** The run time assumed for a job's cost estimate when it has no max run time (default 1 hour). */
        public Builder defaultRunTimeEstimate(Duration value) {
            once("defaultRunTimeEstimate", value);
            this.defaultRunTime = positive("defaultRunTimeEstimate", value);
            return this;
        }

        /** Threads for blocking provider calls (default 16). */
        public Builder workerThreads(int value) {
            once("workerThreads", value);
            Preconditions.argument(value >= 1 && value <= 1024, "workerThreads must be between 1 and 1024, got %d", value);
            this.workerThreads = value;
            return this;
        }

        /** An executor for blocking provider calls instead of the engine's own pool (not shut down by the engine). */
        public Builder executor(Executor value) {
            once("executor", value);
            this.executor = Preconditions.notNull(value, "executor");
            return this;
        }

        /** How many records the operator log keeps (default 10,000). */
        public Builder operatorLogCapacity(int value) {
            once("operatorLogCapacity", value);
            Preconditions.argument(value >= 1, "operatorLogCapacity must be at least 1, got %d", value);
            this.operatorLogCapacity = value;
            return this;
        }

        /**
         * Also writes the operator log to {@code file}, one JSON line per record, rotated by
         * {@link LogRotation#ofDefaults()} (10 MiB, 5 files kept, gzipped). The rotation can be changed
         * while the engine runs ({@code operatorLog().file()}).
         *
         * @throws IllegalStateException when a file was set already
         */
        public Builder operatorLogFile(Path file) {
            return operatorLogFile(file, LogRotation.ofDefaults());
        }

        /**
         * Also writes the operator log to {@code file}, one JSON line per record, rotated by {@code rotation}.
         *
         * @throws IllegalStateException when a file was set already
         */
        public Builder operatorLogFile(Path file, LogRotation rotation) {
            once("operatorLogFile", file + " " + rotation);
            this.operatorLogFile = Preconditions.notNull(file, "operatorLogFile");
            this.operatorLogRotation = Preconditions.notNull(rotation, "rotation");
            return this;
        }

        /**
         * No background thread at all: provider calls, placement and event delivery happen on the
         * calling thread, and {@link Cortex#tick()} runs one round of background work. For tests and
         * simulations with a {@link ManualClock}.
         */
        public Builder manual() {
            once("manual", true);
            this.manual = true;
            return this;
        }

        /** Discovers provider types with this registry instead of the class path's. */
        public Builder providerFactories(ProviderFactories value) {
            once("providerFactories", value);
            this.factories = Preconditions.notNull(value, "providerFactories");
            return this;
        }

        /**
         * Adds a provider built elsewhere. If it implements {@link StatusPushing} it gets the engine's
         * status callback; otherwise the engine learns its jobs' progress by polling.
         */
        public Builder provider(ComputeProvider value) {
            Preconditions.notNull(value, "provider");
            providers.add(ctx -> value);
            return this;
        }

        /**
         * Adds a provider created by the factory for {@code type}, with the engine's clock and status
         * callback in its context.
         *
         * @throws IllegalArgumentException when the id is malformed (the type is checked at build)
         */
        public Builder provider(String id, String type, Map<String, String> config, Credentials credentials) {
            ProviderId pid = ProviderId.of(id);
            Preconditions.notNull(type, "type");
            Preconditions.notNull(config, "config");
            Preconditions.notNull(credentials, "credentials");
            providers.add(ctx -> {
                ProviderFactories f = factories != null ? factories : ProviderFactories.discover();
                return f.find(type).create(ctx.create(pid, config, credentials));
            });
            return this;
        }

        /** Adds a provider that needs the engine's context (clock, status callback) to be created. */
        public Builder provider(String id, Function<ProviderContext, ComputeProvider> factory) {
            ProviderId pid = ProviderId.of(id);
            Preconditions.notNull(factory, "factory");
            providers.add(ctx -> factory.apply(ctx.create(pid, Map.of(), Credentials.NONE)));
            return this;
        }

        /**
         * Records the engine's meters in this Micrometer {@code MeterRegistry} (default: none, and then no
         * Micrometer class is ever loaded): jobs by state, transitions, fail-overs by reason, placement
         * latency, provider status, jobs per provider, wallet balances, events. Micrometer is an optional
         * dependency of Cortex, so the parameter is typed {@code Object}; pass an
         * {@code io.micrometer.core.instrument.MeterRegistry}, e.g. a {@code PrometheusMeterRegistry}
         * (which {@code cortex-server} then serves at {@code GET /api/system/metrics/prometheus}). The meters
         * are removed from the registry when the engine closes; README.md ("Metrics") lists them.
         *
         * @throws NullPointerException when {@code registry} is null
         * @throws IllegalArgumentException when it is not a Micrometer {@code MeterRegistry}
         * @throws IllegalStateException when already set; at {@link #build()}, when another open engine
         *     records into the same registry
         */
        public Builder meterRegistry(Object registry) {
            once("meterRegistry", registry);
            this.meterRegistry = MeterRegistries.require(registry, "meterRegistry");
            return this;
        }

        /** Adds a listener from the start, so it sees the very first events. */
        public Builder listener(CortexListener value) {
            listeners.add(Preconditions.notNull(value, "listener"));
            return this;
        }

        /** Adds a service that starts and stops with the engine. */
        public Builder service(ManagedService value) {
            services.add(Preconditions.notNull(value, "service"));
            return this;
        }

        /**
         * Builds and starts the engine: providers are created and checked once, background services start.
         *
         * @throws IllegalArgumentException when a provider type is unknown (the message lists the known types)
         *     or a provider's configuration is invalid
         * @throws IllegalStateException when two providers share an id, or two plugins claim one type, or
         *     another open engine records its meters into the {@link #meterRegistry(Object) meter registry}
         */
        public Cortex build() {
            if (meterRegistry != null) {
                MicrometerBinder.checkFree(meterRegistry);
            }
            return new Cortex(this);
        }
    }
}
