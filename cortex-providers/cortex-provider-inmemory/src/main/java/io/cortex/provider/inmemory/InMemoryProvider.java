package io.cortex.provider.inmemory;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.ReasonCode;
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
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderUpdates;
import io.cortex.core.provider.RemoteState;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.core.provider.StatusPushing;
import io.cortex.core.provider.Wallet;
import io.cortex.core.provider.WalletBalance;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * A deterministic compute provider that lives in memory, scripted from a test: capacity,
 * capabilities, price and wallet, how long jobs take to start and to run (in clock time), what
 * happens to each job (by image, by label, by predicate), going offline or degraded, expiring
 * credentials, log lines.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * InMemoryProvider gpu = InMemoryProvider.builder("gpu-a").clock(clock)
 *         .capabilities(ProviderCapabilities.of(8000, "32Gi", "100Gi").withMaxGpus(2))
 *         .startAfter(Duration.ofSeconds(5)).runFor(Duration.ofMinutes(1))
 *         .build();
 * gpu.onImage("acme/broken", Outcome.exit(2, "segfault"));
 * Cortex cortex = Cortex.builder().clock(clock).manual().provider(gpu).build();
 * }</pre>
 *
 * <p>Time moves only with the clock: a job started at t runs until t + run duration. Changes are
 * pushed to the engine when they fall due and any method of the provider is called (the engine's
 * health checks and polls call it), or at once with {@link #pump()}. With zero start delay and run
 * duration, a job succeeds inside {@code submit} (pushed, not polled). Thread-safe; never blocks.
 *
 * <p>Several engines sharing one durable store, as the replicas of an application do, each take their
 * own {@link #newClient() client} of one provider: one backend (jobs, scripting, capacity, wallet),
 * each client its own push channel to its engine.
 *
 * <p>Optional abilities are interfaces a provider implements only when it has them, and the engine
 * finds them with {@code instanceof}: a provider built with {@link Builder#wallet(String)} is a
 * {@link Wallet} (the engine lists the {@code wallet} ability, reads and tops up its balance); one
 * built without is not, so no wallet is offered for it.
 */
public sealed class InMemoryProvider implements ComputeProvider, LogSource, CredentialManager, EndpointManager,
        StatusPushing, NonBlockingProvider permits InMemoryProvider.WithWallet {
    /** The type name, as registered with {@link java.util.ServiceLoader}. */
    public static final String TYPE = "inmemory";

    private final ProviderId id;
    private final Clock clock;
    private final int maxLogLinesPerJob;
    private final int retainedFinished;
    /** What every client of this provider shares (see {@link #newClient()}). */
    private final Backend b;
    /**
     * Where changes of the jobs submitted through this client are pushed; null until
     * {@link #pushStatusTo} registers it, and again once closed.
     */
    private volatile ProviderUpdates updates;

    /**
     * The provider itself, as a remote backend is: its scripting, runs, capacity, wallet and counters.
     * Shared by every {@linkplain #newClient() client}; each client has only its own push channel.
     */
    private static final class Backend {
        volatile ProviderCapabilities capabilities;
        volatile int capacity;
        volatile Duration startDelay;
        volatile Duration runDuration;
        volatile Outcome defaultOutcome = Outcome.succeed();
        final List<Rule> rules = new CopyOnWriteArrayList<>();
        volatile ProviderHealth health = ProviderHealth.online();
        volatile boolean offline;
        volatile boolean credentialsExpired;
        volatile boolean refreshable = true;
        volatile Credentials credentials;
        volatile List<URI> endpoints;
        final AtomicLong walletCents;
        final String currency;
        final boolean hasWallet;

        final Map<String, Run> runs = new ConcurrentHashMap<>();
        final ArrayDeque<String> finishedOrder = new ArrayDeque<>();
        final AtomicLong sequence = new AtomicLong();
        final AtomicInteger active = new AtomicInteger();
        final LongAdder submissions = new LongAdder();
        final AtomicLong cancellations = new AtomicLong();
        final AtomicLong healthChecks = new AtomicLong();
        final AtomicLong statusCalls = new AtomicLong();
        final Map<String, LongAdder> imageSubmits = new ConcurrentHashMap<>();
        /** The clients not closed, oldest first. */
        final CopyOnWriteArrayList<InMemoryProvider> open = new CopyOnWriteArrayList<>();

        Backend(Builder b) {
            this.capabilities = b.capabilities;
            this.capacity = b.capacity;
            this.startDelay = b.startDelay;
            this.runDuration = b.runDuration;
            this.credentials = b.credentials;
            this.endpoints = List.copyOf(b.endpoints);
            this.hasWallet = b.walletCents >= 0;
            this.walletCents = new AtomicLong(Math.max(0, b.walletCents));
            this.currency = b.capabilities.currency();
        }

        /** The push channel of the oldest open client that has one, or null. */
        ProviderUpdates anyUpdates() {
            for (InMemoryProvider c : open) {
                ProviderUpdates u = c.updates;
                if (u != null) {
                    return u;
                }
            }
            return null;
        }
    }
    /** The last log line of a finished run, per state, e.g. {@code finished: succeeded}. */
    private static final String[] FINISHED = java.util.Arrays.stream(RemoteState.values())
            .map(st -> "finished: " + st.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);

    private record Rule(Predicate<JobSpec> when, Outcome outcome, String description) {}

    /** One attempt held by the provider. */
    private static final class Run {
        final String ref;
        final InMemoryProvider client; // pushed to first: the client it was submitted through
        final AttemptRef attempt;
        final JobSpec spec;
        final Outcome outcome;
        final Instant acceptedAt;
        final Duration start;
        final Duration run;
        final List<LogLine> logs = new ArrayList<>(2); // a start and an end line, unless a script adds more
        RemoteState reported = RemoteState.QUEUED;
        RemoteState cancelledAt;
        long nextLog;

        Run(String ref, InMemoryProvider client, AttemptRef attempt, JobSpec spec, Outcome outcome, Instant acceptedAt,
                Duration start, Duration run) {
            this.ref = ref;
            this.client = client;
            this.attempt = attempt;
            this.spec = spec;
            this.outcome = outcome;
            this.acceptedAt = acceptedAt;
            this.start = start;
            this.run = run;
        }
    }

    private InMemoryProvider(Builder b) {
        this.id = b.id;
        this.clock = b.clock;
        this.maxLogLinesPerJob = b.maxLogLinesPerJob;
        this.retainedFinished = b.retainedFinished;
        this.b = new Backend(b);
        this.updates = b.updates;
        this.b.open.add(this);
    }

    /** Another client of {@code of}'s backend. */
    private InMemoryProvider(InMemoryProvider of) {
        this.id = of.id;
        this.clock = of.clock;
        this.maxLogLinesPerJob = of.maxLogLinesPerJob;
        this.retainedFinished = of.retainedFinished;
        this.b = of.b;
        this.b.open.add(this);
    }

    /** The in-memory provider built with a wallet: the same, plus the {@link Wallet} ability. */
    static final class WithWallet extends InMemoryProvider implements Wallet {
        private WithWallet(Builder b) {
            super(b);
        }

        private WithWallet(InMemoryProvider of) {
            super(of);
        }
    }

    /** A builder for a provider with id {@code id}. */
    public static Builder builder(String id) {
        return new Builder(ProviderId.of(id));
    }

    /** A provider from an engine context, configured by its settings (see {@link InMemoryProviderFactory}). */
    public static InMemoryProvider create(ProviderContext context) {
        return InMemoryProviderFactory.configure(context).build();
    }

    // ---- scripting -------------------------------------------------------------------------

    /** Jobs whose image repository (or full reference) is {@code image} get {@code outcome}. */
    public InMemoryProvider onImage(String image, Outcome outcome) {
        Preconditions.notNull(image, "image");
        b.rules.add(0, new Rule(s -> s.image().repository().equals(image) || s.image().toString().equals(image)
                || s.image().toString().startsWith(image + ":"), Preconditions.notNull(outcome, "outcome"), "image " + image));
        return this;
    }

    /** Jobs labelled {@code key=value} get {@code outcome}. */
    public InMemoryProvider onLabel(String key, String value, Outcome outcome) {
        b.rules.add(0, new Rule(s -> value.equals(s.labels().get(key)), Preconditions.notNull(outcome, "outcome"),
                "label " + key + "=" + value));
        return this;
    }

    /** Jobs matching {@code when} get {@code outcome}. Later rules win over earlier ones. */
    public InMemoryProvider when(Predicate<JobSpec> when, Outcome outcome) {
        b.rules.add(0, new Rule(Preconditions.notNull(when, "when"), Preconditions.notNull(outcome, "outcome"), "predicate"));
        return this;
    }

    /** Every job no rule matches gets {@code outcome} (initially {@link Outcome#succeed()}). */
    public InMemoryProvider defaultOutcome(Outcome outcome) {
        b.defaultOutcome = Preconditions.notNull(outcome, "outcome");
        return this;
    }

    /** Forgets every rule. */
    public InMemoryProvider clearRules() {
        b.rules.clear();
        return this;
    }

    /** How long accepted jobs wait before they start, from now on. */
    public InMemoryProvider startAfter(Duration value) {
        b.startDelay = nonNegative("startDelay", value);
        return this;
    }

    /** How long jobs run once started, from now on. */
    public InMemoryProvider runFor(Duration value) {
        b.runDuration = nonNegative("runDuration", value);
        return this;
    }

    /** How many jobs may be accepted or running at once; more are refused with NO_CAPACITY. */
    public InMemoryProvider capacity(int value) {
        Preconditions.argument(value >= 0, "capacity must not be negative, got %d", value);
        b.capacity = value;
        return this;
    }

    /** Replaces the capabilities. */
    public InMemoryProvider capabilities(ProviderCapabilities value) {
        b.capabilities = Preconditions.notNull(value, "capabilities");
        return this;
    }

    /** Stops answering: health OFFLINE, submit and status fail with PROVIDER_OFFLINE, jobs freeze. */
    public InMemoryProvider goOffline() {
        b.offline = true;
        return this;
    }

    /** Answers again, healthy (and credentials as they were). */
    public InMemoryProvider goOnline() {
        b.offline = false;
        b.health = ProviderHealth.online();
        return this;
    }

    /** Answers, but reports trouble: health DEGRADED with {@code message}. */
    public InMemoryProvider degrade(String message) {
        b.offline = false;
        b.health = ProviderHealth.degraded(ReasonCode.PROVIDER_DEGRADED, message);
        return this;
    }

    /** Credentials stop working: submit fails with AUTH_FAILED, health is DEGRADED (AUTH_FAILED). */
    public InMemoryProvider expireCredentials() {
        b.credentialsExpired = true;
        return this;
    }

    /** Whether {@link #refreshCredentials()} repairs expired credentials (default true). */
    public InMemoryProvider credentialsRefreshable(boolean value) {
        b.refreshable = value;
        return this;
    }

    /**
     * Sets the wallet balance.
     *
     * @throws IllegalArgumentException when negative
     * @throws UnsupportedOperationException when the provider was built without {@code wallet(amount)}
     */
    public InMemoryProvider walletBalance(String amount) {
        BigDecimal a = new BigDecimal(amount);
        Preconditions.argument(a.signum() >= 0, "wallet balance must not be negative, got %s", amount);
        requireWallet();
        b.walletCents.set(toCents(a));
        return this;
    }

    /**
     * Prints a line to an attempt's log, as if the job wrote it.
     *
     * @throws ProviderException with PROVIDER_LOST_JOB when the handle is unknown
     */
    public InMemoryProvider print(ProviderJobRef ref, String stream, String text) {
        Run r = run(ref);
        synchronized (r) {
            appendLog(r, stream, text);
        }
        return this;
    }

    /**
     * Another client of this provider, as another replica of an application holds one to the same
     * remote backend: it shares this provider's jobs, scripting, health, capacity, credentials, wallet
     * and counters, and has its own push channel. Changes of a job are pushed to the engine of the
     * client the job was submitted through (its {@link #pushStatusTo}); once that client is closed, to
     * the oldest client still open, as a backend's callbacks reach whichever replica is still there.
     * Polls ({@link #status}) through any client see every job.
     *
     * <p>Give each engine sharing a durable store its own client: one instance registered with
     * several engines pushes everything to the engine that registered last.
     */
    public InMemoryProvider newClient() {
        return this instanceof WithWallet ? new WithWallet(this) : new InMemoryProvider(this);
    }

    /** Pushes every change that fell due to the engine now. */
    public InMemoryProvider pump() {
        Instant now = clock.instant();
        for (Run r : b.runs.values()) {
            advance(r, now);
        }
        return this;
    }

    // ---- observations for tests --------------------------------------------------------------

    /** How many submits were made (accepted or not). */
    public long submissions() {
        return b.submissions.sum();
    }

    /** How many submits were made for this image repository. */
    public int submissionsOf(String repository) {
        LongAdder n = b.imageSubmits.get(repository);
        return n == null ? 0 : n.intValue();
    }

    /** How many cancels were asked for. */
    public long cancellations() {
        return b.cancellations.get();
    }

    /** How many times the status of an attempt was asked for (polls). */
    public long statusCalls() {
        return b.statusCalls.get();
    }

    /** How many health checks were made. */
    public long healthChecks() {
        return b.healthChecks.get();
    }

    /** Attempts accepted and not finished (queued or running). */
    public int activeJobs() {
        return b.active.get();
    }

    /** The credentials in use (secrets redacted in {@code toString}). */
    public Credentials credentials() {
        return b.credentials;
    }

    // ---- ComputeProvider ---------------------------------------------------------------------

    @Override
    public ProviderId id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ProviderCapabilities capabilities() {
        answerOrThrow();
        return b.capabilities;
    }

    @Override
    public ProviderHealth checkHealth() {
        b.healthChecks.incrementAndGet();
        if (b.offline) {
            return ProviderHealth.offline("in-memory provider " + id + " is scripted offline");
        }
        pump();
        if (b.credentialsExpired) {
            return ProviderHealth.degraded(ReasonCode.AUTH_FAILED, "credentials expired");
        }
        return b.health;
    }

    @Override
    public ProviderJobRef submit(JobSpec spec, AttemptRef attempt) {
        Preconditions.notNull(spec, "spec");
        Preconditions.notNull(attempt, "attempt");
        b.submissions.increment();
        b.imageSubmits.computeIfAbsent(spec.image().repository(), k -> new LongAdder()).increment();
        answerOrThrow();
        if (b.credentialsExpired) {
            throw new ProviderException(ReasonCode.AUTH_FAILED, "credentials expired");
        }
        Outcome outcome = outcomeFor(spec);
        if (outcome.kind() == Outcome.Kind.REJECT) {
            throw new ProviderException(outcome.reason(), outcome.message());
        }
        ProviderCapabilities caps = b.capabilities;
        if (spec.resources().cpuMillis() > caps.maxCpuMillis() || spec.resources().memory().exceeds(caps.maxMemory())
                || spec.resources().storage().exceeds(caps.maxStorage()) || spec.resources().gpus() > caps.maxGpus()) {
            throw new ProviderException(ReasonCode.RESOURCES_EXCEED_CAPABILITIES,
                    "job asks for " + spec.resources() + ", at most cpu=" + caps.maxCpuMillis() + "m memory=" + caps.maxMemory()
                            + " storage=" + caps.maxStorage() + " gpus=" + caps.maxGpus());
        }
        Duration start = b.startDelay;
        Duration run = b.runDuration;
        BigDecimal cost = costOf(run);
        if (b.hasWallet && b.walletCents.get() < toCents(cost)) {
            throw new ProviderException(ReasonCode.INSUFFICIENT_FUNDS, "wallet holds " + balance() + ", job costs " + cost.toPlainString());
        }
        int limit = b.capacity;
        while (true) {
            int now = b.active.get();
            if (now >= limit) {
                throw new ProviderException(ReasonCode.NO_CAPACITY, "all " + limit + " slots are busy");
            }
            if (b.active.compareAndSet(now, now + 1)) {
                break;
            }
        }
        String ref = id + "-" + b.sequence.incrementAndGet();
        Instant acceptedAt = clock.instant();
        Run r = new Run(ref, this, attempt, spec, outcome, acceptedAt, start, run);
        b.runs.put(ref, r);
        ProviderJobRef handle = new ProviderJobRef(ref);
        if (start.isZero()) {
            advance(r, acceptedAt);
        }
        return handle;
    }

    @Override
    public RemoteStatus status(ProviderJobRef ref) {
        b.statusCalls.incrementAndGet();
        answerOrThrow();
        Run r = run(ref);
        advance(r, clock.instant());
        synchronized (r) {
            return statusOf(r);
        }
    }

    @Override
    public void cancel(ProviderJobRef ref) {
        answerOrThrow();
        b.cancellations.incrementAndGet();
        Run r = b.runs.get(ref.value());
        if (r == null) {
            return;
        }
        synchronized (r) {
            if (r.cancelledAt == null && !isFinal(r.reported)) {
                r.cancelledAt = r.reported;
                r.reported = RemoteState.CANCELLED;
                b.active.decrementAndGet();
                appendLog(r, "stderr", "cancelled");
                retire(r.ref);
            }
        }
    }

    // ---- optional abilities ------------------------------------------------------------------

    @Override
    public List<LogLine> logs(ProviderJobRef ref, long afterSequence, int limit) {
        answerOrThrow();
        Run r = run(ref);
        advance(r, clock.instant());
        synchronized (r) {
            List<LogLine> out = new ArrayList<>();
            for (LogLine l : r.logs) {
                if (l.sequence() > afterSequence) {
                    out.add(l);
                    if (out.size() >= limit) {
                        break;
                    }
                }
            }
            return out;
        }
    }

    /**
     * The wallet's balance; the {@link Wallet} method of a provider built with {@code wallet(amount)}.
     *
     * @throws UnsupportedOperationException when the provider was built without {@code wallet(amount)}:
     *     it then charges nothing, has no balance to report and is not a {@link Wallet}
     */
    public WalletBalance balance() {
        requireWallet();
        answerOrThrow();
        return new WalletBalance(BigDecimal.valueOf(b.walletCents.get(), 2), b.currency);
    }

    private void requireWallet() {
        if (!b.hasWallet) {
            throw new UnsupportedOperationException("in-memory provider " + id + " has no wallet; build it with wallet(amount)");
        }
    }

    /**
     * Adds {@code amount} to the wallet; the {@link Wallet} method of a provider built with {@code wallet(amount)}.
     *
     * @throws IllegalArgumentException when {@code amount} is not positive
     * @throws UnsupportedOperationException when the provider was built without {@code wallet(amount)}
     */
    public WalletBalance topUp(BigDecimal amount) {
        Preconditions.notNull(amount, "amount");
        Preconditions.argument(amount.signum() > 0, "amount must be positive, got %s", amount.toPlainString());
        requireWallet();
        answerOrThrow();
        b.walletCents.addAndGet(toCents(amount));
        return balance();
    }

    @Override
    public void updateCredentials(Credentials value) {
        Preconditions.notNull(value, "credentials");
        answerOrThrow();
        b.credentials = value;
        b.credentialsExpired = false;
    }

    @Override
    public void refreshCredentials() {
        answerOrThrow();
        if (b.credentialsExpired && !b.refreshable) {
            throw new ProviderException(ReasonCode.AUTH_FAILED, "credentials cannot be refreshed; replace them");
        }
        b.credentialsExpired = false;
    }

    @Override
    public List<URI> endpoints() {
        return b.endpoints;
    }

    @Override
    public void updateEndpoints(List<URI> value) {
        Preconditions.notNull(value, "endpoints");
        Preconditions.argument(!value.isEmpty(), "endpoints must not be empty");
        b.endpoints = List.copyOf(value);
    }

    @Override
    public void pushStatusTo(ProviderUpdates value) {
        this.updates = Preconditions.notNull(value, "updates");
        b.open.addIfAbsent(this);
    }

    /**
     * Closes this client: nothing more is pushed through it. The jobs are forgotten once every client
     * of the provider is closed.
     */
    @Override
    public void close() {
        updates = null;
        b.open.remove(this);
        if (b.open.isEmpty()) {
            b.runs.clear();
        }
    }

    @Override
    public String toString() {
        return "InMemoryProvider{" + id + (b.offline ? ", offline" : "") + (b.credentialsExpired ? ", credentials expired" : "")
                + ", active=" + activeJobs() + "}";
    }

    // ---- internals ---------------------------------------------------------------------------

    private void answerOrThrow() {
        if (b.offline) {
            throw new ProviderException(ReasonCode.PROVIDER_OFFLINE, "in-memory provider " + id + " is scripted offline");
        }
    }

    private Run run(ProviderJobRef ref) {
        Preconditions.notNull(ref, "ref");
        Run r = b.runs.get(ref.value());
        if (r == null) {
            throw new ProviderException(ReasonCode.PROVIDER_LOST_JOB, "no job with handle " + ref + " on " + id);
        }
        return r;
    }

    private Outcome outcomeFor(JobSpec spec) {
        for (Rule rule : b.rules) {
            if (rule.when().test(spec)) {
                return rule.outcome();
            }
        }
        return b.defaultOutcome;
    }

    /** Moves the run to where the clock says it is and pushes what changed. */
    private void advance(Run r, Instant now) {
        RemoteStatus push1 = null;
        RemoteStatus push2 = null;
        synchronized (r) {
            if (isFinal(r.reported) || b.offline) {
                return;
            }
            Outcome o = r.outcome;
            Instant startAt = r.acceptedAt.plus(r.start);
            if (o.kind() == Outcome.Kind.HANG || now.isBefore(startAt)) {
                return;
            }
            if (r.reported == RemoteState.QUEUED) {
                r.reported = RemoteState.RUNNING;
                appendLog(r, now, "stdout", "started " + r.spec.image());
                for (String line : o.logLines()) {
                    appendLog(r, now, "stdout", line);
                }
                push1 = RemoteStatus.running();
            }
            if (o.kind() != Outcome.Kind.HANG_RUNNING && !now.isBefore(startAt.plus(r.run))) {
                RemoteStatus end = switch (o.kind()) {
                    case EXIT -> RemoteStatus.exited(o.exitCode(), o.message());
                    case FAIL -> RemoteStatus.failed(o.reason(), o.message());
                    case LOSE -> RemoteStatus.lost(o.message());
                    default -> RemoteStatus.succeeded();
                };
                BigDecimal cost = costOf(r.run);
                if (b.hasWallet && cost.signum() > 0) {
                    b.walletCents.addAndGet(-Math.min(b.walletCents.get(), toCents(cost)));
                }
                end = cost.signum() > 0 ? end.withCost(cost) : end;
                r.reported = end.state();
                b.active.decrementAndGet();
                String finished = FINISHED[end.state().ordinal()];
                appendLog(r, now, end.state() == RemoteState.SUCCEEDED ? "stdout" : "stderr",
                        end.message().isEmpty() ? finished : finished + " (" + end.message() + ")");
                retire(r.ref);
                push2 = end;
            }
        }
        ProviderUpdates sink = r.client.updates;
        if (sink == null) {
            sink = b.anyUpdates();
        }
        if (sink != null) {
            ProviderJobRef handle = new ProviderJobRef(r.ref);
            if (push2 != null) {
                sink.report(r.attempt, handle, push2);
            } else if (push1 != null) {
                sink.report(r.attempt, handle, push1);
            }
        }
    }

    private RemoteStatus statusOf(Run r) {
        return switch (r.reported) {
            case QUEUED -> RemoteStatus.queued();
            case RUNNING -> RemoteStatus.running();
            case CANCELLED -> RemoteStatus.cancelled();
            default -> {
                Outcome o = r.outcome;
                RemoteStatus s = switch (o.kind()) {
                    case EXIT -> RemoteStatus.exited(o.exitCode(), o.message());
                    case FAIL -> RemoteStatus.failed(o.reason(), o.message());
                    case LOSE -> RemoteStatus.lost(o.message());
                    default -> RemoteStatus.succeeded();
                };
                BigDecimal cost = costOf(r.run);
                yield cost.signum() > 0 ? s.withCost(cost) : s;
            }
        };
    }

    private static boolean isFinal(RemoteState s) {
        return s != RemoteState.QUEUED && s != RemoteState.RUNNING;
    }

    private void appendLog(Run r, String stream, String text) {
        appendLog(r, clock.instant(), stream, text);
    }

    private void appendLog(Run r, Instant at, String stream, String text) {
        if (r.logs.size() >= maxLogLinesPerJob) {
            r.logs.remove(0);
        }
        r.logs.add(new LogLine(r.nextLog++, at, stream, text));
    }

    /** Keeps a finished run for status and logs until {@code retainedFinished} newer ones finished. */
    private void retire(String ref) {
        synchronized (b.finishedOrder) {
            b.finishedOrder.addLast(ref);
            while (b.finishedOrder.size() > retainedFinished) {
                b.runs.remove(b.finishedOrder.pollFirst());
            }
        }
    }

    private BigDecimal costOf(Duration run) {
        BigDecimal price = b.capabilities.pricePerHour();
        if (price.signum() == 0 || run.isZero()) {
            return BigDecimal.ZERO;
        }
        return price.multiply(BigDecimal.valueOf(run.toMillis()).divide(BigDecimal.valueOf(3_600_000L), MathContext.DECIMAL64),
                MathContext.DECIMAL64).setScale(2, java.math.RoundingMode.CEILING);
    }

    private static long toCents(BigDecimal amount) {
        return amount.movePointRight(2).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    private static Duration nonNegative(String name, Duration d) {
        Preconditions.notNull(d, name);
        Preconditions.argument(!d.isNegative(), "%s must not be negative, got %s", name, d);
        return d;
    }

    /** Builds an {@link InMemoryProvider}. */
    public static final class Builder {
        private final ProviderId id;
        private Clock clock = Clock.systemUTC();
        private ProviderCapabilities capabilities = ProviderCapabilities.of(16_000, "64Gi", "1Ti").withMaxGpus(8);
        private int capacity = Integer.MAX_VALUE;
        private Duration startDelay = Duration.ZERO;
        private Duration runDuration = Duration.ZERO;
        private int maxLogLinesPerJob = 1_000;
        private int retainedFinished = 10_000;
        private long walletCents = -1;
        private ProviderUpdates updates;
        private Credentials credentials = Credentials.NONE;
        private final List<URI> endpoints = new ArrayList<>(List.of(URI.create("https://inmemory.invalid")));

        private Builder(ProviderId id) {
            this.id = id;
        }

        /** The clock (default system UTC): give it the engine's. */
        public Builder clock(Clock value) {
            this.clock = Preconditions.notNull(value, "clock");
            return this;
        }

        /** What one job may ask for and the price (default 16 cores, 64Gi, 1Ti, 8 GPUs, free). */
        public Builder capabilities(ProviderCapabilities value) {
            this.capabilities = Preconditions.notNull(value, "capabilities");
            return this;
        }

        /** A price per job-hour in a currency. */
        public Builder price(String perHour, String currency) {
            this.capabilities = capabilities.withPrice(new BigDecimal(perHour), currency);
            return this;
        }

        /** Only images from these registries are accepted (default any). */
        public Builder registries(String... names) {
            this.capabilities = capabilities.withRegistries(Set.of(names));
            return this;
        }

        /**
         * How many jobs may be queued or running at once (default unlimited).
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder capacity(int value) {
            Preconditions.argument(value >= 0, "capacity must not be negative, got %d", value);
            this.capacity = value;
            return this;
        }

        /** How long accepted jobs wait before they start (default zero). */
        public Builder startAfter(Duration value) {
            this.startDelay = nonNegative("startDelay", value);
            return this;
        }

        /** How long jobs run (default zero: they finish as they start). */
        public Builder runFor(Duration value) {
            this.runDuration = nonNegative("runDuration", value);
            return this;
        }

        /** A wallet holding {@code amount}, charged for each job (default: no wallet; jobs are not charged to one). */
        public Builder wallet(String amount) {
            BigDecimal a = new BigDecimal(amount);
            Preconditions.argument(a.signum() >= 0, "wallet must not be negative, got %s", amount);
            this.walletCents = toCents(a);
            return this;
        }

        /** Log lines kept per job (default 1,000; oldest dropped first). */
        public Builder maxLogLinesPerJob(int value) {
            Preconditions.argument(value >= 1, "maxLogLinesPerJob must be at least 1, got %d", value);
            this.maxLogLinesPerJob = value;
            return this;
        }

        /** Finished jobs kept for status and logs (default 10,000). */
        public Builder retainedFinished(int value) {
            Preconditions.argument(value >= 0, "retainedFinished must not be negative, got %d", value);
            this.retainedFinished = value;
            return this;
        }

        /** Credentials it starts with. */
        public Builder credentials(Credentials value) {
            this.credentials = Preconditions.notNull(value, "credentials");
            return this;
        }

        /** Where status changes go (set by the engine; for use without an engine). */
        public Builder updates(ProviderUpdates value) {
            this.updates = value;
            return this;
        }

        /** Builds the provider: a {@link Wallet} too when {@link #wallet(String)} was set, else not. */
        public InMemoryProvider build() {
            return walletCents >= 0 ? new WithWallet(this) : new InMemoryProvider(this);
        }
    }
}
