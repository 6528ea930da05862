package io.cortex.provider.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cortex.core.Cortex;
import io.cortex.core.job.Attempt;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.Quantity;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.CredentialManager;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.EndpointManager;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.LogSource;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderFactories;
import io.cortex.core.provider.ProviderFactory;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.RemoteState;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.core.provider.Wallet;
import io.cortex.core.provider.WalletBalance;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ComputeProvider} plugin must keep, as a JUnit 5 test class to extend.
 *
 * <p>A plugin author supplies the factory, a working configuration and a few jobs (one that
 * succeeds, one that fails, one that hangs); the kit then checks discovery through
 * {@link ServiceLoader}, capabilities, the life of a job from submit to a final state, reason codes
 * on failures, cancel in every non-final state and its idempotence, the error for an unknown handle,
 * health, each optional ability the provider implements ({@link LogSource}, {@link Wallet},
 * {@link CredentialManager}, {@link EndpointManager}), concurrent submits, {@code close()}, and that
 * no secret shows in any {@code toString} or exception message.
 *
 * <pre>{@code
 * class AcmeProviderContractTest extends ProviderContractTest {
 *     protected ProviderFactory factory() { return new AcmeProviderFactory(); }
 *     protected Map<String, String> configuration() { return Map.of("runTime", "50"); }
 *     protected JobSpec succeedingJob() { return job().command("succeed").build(); }
 *     protected JobSpec failingJob() { return job().command("fail", "3").build(); }
 *     protected JobSpec hangingJob() { return job().command("hang").build(); }
 *     private static JobSpec.Builder job() { return JobSpec.builder().image("acme/tck:1"); }
 * }
 * }</pre>
 *
 * <p>Checks for an optional ability the provider does not implement are skipped (reported as
 * aborted by an assumption), never silently passed. A provider is created fresh for each test
 * with {@link #create(String)} and closed after it; {@link #prepare(ComputeProvider)} runs on each
 * one, so a scriptable provider can be told what to do with the kit's jobs.
 */
public abstract class ProviderContractTest {
    /**
     * The lines {@link #loggingJob()} must print on its standard output, in this order, before it
     * succeeds.
     */
    public static final List<String> LOG_LINES = List.of("cortex tck line 1", "cortex tck line 2", "cortex tck line 3",
            "cortex tck line 4", "cortex tck line 5");

    /**
     * The environment variable the kit adds to every job it submits, holding a secret value that must
     * never show in a {@code toString} or an exception message.
     */
    public static final String SECRET_ENV = "CORTEX_TCK_SECRET";

    private static final Set<String> JVM_THREAD_PREFIXES = Set.of("awaitility", "process reaper", "ForkJoinPool.commonPool",
            "Attach Listener", "Common-Cleaner", "Signal Dispatcher", "surefire", "junit", "Notification Thread");

    private final String credentialSecret = "tck-credential-" + UUID.randomUUID();
    private final String envSecret = "tck-env-" + UUID.randomUUID();
    private final RecordedUpdates updates = new RecordedUpdates();
    private final Map<ProviderJobRef, AttemptRef> attempts = new ConcurrentHashMap<>();
    private final List<ComputeProvider> opened = new CopyOnWriteArrayList<>();
    private ComputeProvider provider;

    /** For subclasses. */
    protected ProviderContractTest() {}

    // ---- hooks ---------------------------------------------------------------------------------

    /** A new instance of the plugin's factory, as {@link ServiceLoader} would make it. */
    protected abstract ProviderFactory factory();

    /** A configuration with which the factory makes a working provider. */
    protected abstract Map<String, String> configuration();

    /**
     * The credentials the provider is created with. By default a single {@code apiKey} holding a
     * random secret; override when the provider needs real ones. Every value is treated as a secret
     * that must never be printed.
     */
    protected Credentials credentials() {
        return Credentials.of(Map.of("apiKey", credentialSecret));
    }

    /**
     * Credentials {@link CredentialManager#updateCredentials} must accept; by default
     * {@link #credentials()}.
     */
    protected Credentials updatedCredentials() {
        return credentials();
    }

    /** A job that runs and then succeeds within {@link #timeout()}. */
    protected abstract JobSpec succeedingJob();

    /** A job that runs and then fails (e.g. a non-zero exit) within {@link #timeout()}. */
    protected abstract JobSpec failingJob();

    /** A job that reaches RUNNING and stays there until cancelled. */
    protected abstract JobSpec hangingJob();

    /**
     * A job that stays QUEUED (accepted, never started) until cancelled, for providers that have
     * such a state; empty (the default) when jobs start at once.
     */
    protected Optional<JobSpec> queuedJob() {
        return Optional.empty();
    }

    /**
     * A job that prints {@link #LOG_LINES} on its standard output and succeeds, for providers that
     * implement {@link LogSource}. When empty (the default), only the order and paging of the logs
     * of {@link #succeedingJob()} are checked, not their text.
     */
    protected Optional<JobSpec> loggingJob() {
        return Optional.empty();
    }

    /** Called on every provider the kit creates, before use: script a fake provider here. */
    protected void prepare(ComputeProvider created) {}

    /**
     * Checks that a provider released what it held, after {@link ComputeProvider#close()} and after the
     * kit's own checks (threads it started are gone). Default: nothing more.
     */
    protected void assertReleased(ComputeProvider closed) {}

    /** How long a job may take to reach the state the kit waits for (default 10 seconds). */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** The clock in the provider's context (default system UTC). */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    /** How many threads submit at once in the concurrency check (default 16), one job each. */
    protected int concurrentSubmits() {
        return 16;
    }

    // ---- helpers for subclasses ----------------------------------------------------------------

    /** The provider made for the current test. */
    protected final ComputeProvider provider() {
        return provider;
    }

    /** What the providers made by the kit pushed through their context. */
    protected final RecordedUpdates updates() {
        return updates;
    }

    /**
     * Creates a provider with {@link #factory()}, {@link #configuration()}, {@link #credentials()} and
     * {@link #clock()}, runs {@link #prepare} on it, and closes it after the test.
     *
     * @throws IllegalArgumentException when {@code id} is not a valid provider id
     */
    protected final ComputeProvider create(String id) {
        ProviderContext context = new ProviderContext(ProviderId.of(id), configuration(), credentials(), clock(), updates);
        ComputeProvider created = factory().create(context);
        assertThat(created).as("%s.create(...)", factory().getClass().getName()).isNotNull();
        opened.add(created);
        prepare(created);
        return created;
    }

    /**
     * Submits {@code spec} (with the kit's secret environment variable added) as attempt 1 of a new
     * job to the current provider.
     */
    protected final ProviderJobRef submit(JobSpec spec) {
        return submit(provider, spec);
    }

    /** Submits {@code spec} (with the kit's secret environment variable added) as attempt 1 of a new job. */
    protected final ProviderJobRef submit(ComputeProvider target, JobSpec spec) {
        AttemptRef attempt = new AttemptRef(JobId.next(System.currentTimeMillis()), 1);
        ProviderJobRef ref = target.submit(withSecret(spec), attempt);
        assertThat(ref).as("handle returned by submit").isNotNull();
        assertThat(ref.value()).as("handle returned by submit").isNotBlank();
        attempts.put(ref, attempt);
        return ref;
    }

    /**
     * Polls the current provider until the attempt is final, checking on the way that it never moves
     * backwards (QUEUED, then RUNNING, then a final state), and returns the final status.
     */
    protected final RemoteStatus awaitFinal(ProviderJobRef ref) {
        List<RemoteState> seen = new CopyOnWriteArrayList<>();
        RemoteStatus[] last = new RemoteStatus[1];
        await("a final status for " + ref).atMost(timeout()).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    RemoteStatus s = provider.status(ref);
                    assertThat(s).as("status(%s)", ref).isNotNull();
                    seen.add(s.state());
                    last[0] = s;
                    return s.isFinal();
                });
        assertMovesForward(seen, "polled states of " + ref);
        RemoteStatus again = provider.status(ref);
        assertThat(again.state()).as("status of %s asked again after it was final", ref).isEqualTo(last[0].state());
        return last[0];
    }

    /** Polls the current provider until the attempt is in {@code state}. */
    protected final void awaitState(ProviderJobRef ref, RemoteState state) {
        await(ref + " in " + state).atMost(timeout()).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    RemoteStatus s = provider.status(ref);
                    if (s.isFinal() && s.state() != state) {
                        fail("%s became %s (%s) while waiting for %s", ref, s.state(), s.message(), state);
                    }
                    return s.state() == state;
                });
    }

    private JobSpec withSecret(JobSpec spec) {
        return spec.toBuilder().env(SECRET_ENV, envSecret).build();
    }

    private static int rank(RemoteState s) {
        return switch (s) {
            case QUEUED -> 0;
            case RUNNING -> 1;
            default -> 2;
        };
    }

    private static void assertMovesForward(List<RemoteState> states, String what) {
        for (int i = 1; i < states.size(); i++) {
            RemoteState before = states.get(i - 1);
            RemoteState after = states.get(i);
            if (rank(after) < rank(before) || (rank(before) == 2 && after != before)) {
                fail("%s moved backwards or changed after being final: %s", what, states);
            }
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /** Creates the provider for the test. */
    @BeforeEach
    final void openProvider() {
        provider = create("tck-provider");
    }

    /** Closes every provider the test made. */
    @AfterEach
    final void closeProviders() {
        for (ComputeProvider p : opened) {
            p.close();
        }
        opened.clear();
    }

    // ---- discovery and identity ----------------------------------------------------------------

    @Test
    void factoryIsDiscoveredWithServiceLoaderUnderItsType() {
        ProviderFactory mine = factory();
        Class<? extends ProviderFactory> factoryClass = mine.getClass();
        String type = mine.type();
        assertThat(type).as("factory type").isNotBlank();

        List<Class<? extends ProviderFactory>> registered = ServiceLoader.load(ProviderFactory.class, factoryClass.getClassLoader())
                .stream().map(ServiceLoader.Provider::type).collect(Collectors.toList());
        assertThat(registered).as("factories registered in META-INF/services/%s", ProviderFactory.class.getName())
                .contains(factoryClass);
        assertThat(Modifier.isPublic(factoryClass.getModifiers())).as("%s is public", factoryClass.getName()).isTrue();
        assertThatCode(() -> factoryClass.getConstructor()).as("%s has a public no-argument constructor", factoryClass.getName())
                .doesNotThrowAnyException();

        ProviderFactories discovered = ProviderFactories.discover(factoryClass.getClassLoader());
        assertThat(discovered.problems()).as("discovery problems").noneMatch(p -> p.contains("'" + type + "'"));
        assertThat(discovered.find(type)).as("the factory found for type '%s'", type).isInstanceOf(factoryClass);
    }

    @Test
    void providerReportsTheIdAndTypeItWasCreatedWith() {
        ComputeProvider other = create("tck-other");

        assertThat(provider.id()).isEqualTo(ProviderId.of("tck-provider"));
        assertThat(other.id()).isEqualTo(ProviderId.of("tck-other"));
        assertThat(provider.type()).isEqualTo(factory().type());
    }

    // ---- capabilities and health ---------------------------------------------------------------

    @Test
    void capabilitiesAreConsistentAndStable() {
        ProviderCapabilities first = provider.capabilities();
        assertThat(first).isNotNull();
        for (JobSpec job : kitJobs()) {
            Resources r = job.resources();
            assertThat(r.cpuMillis()).as("cpu of %s within maxCpuMillis", job).isLessThanOrEqualTo(first.maxCpuMillis());
            assertThat(r.memory().exceeds(first.maxMemory())).as("memory of %s exceeds maxMemory %s", job, first.maxMemory()).isFalse();
            assertThat(r.storage().exceeds(first.maxStorage())).as("storage of %s exceeds maxStorage %s", job, first.maxStorage()).isFalse();
            assertThat(r.gpus()).as("gpus of %s within maxGpus", job).isLessThanOrEqualTo(first.maxGpus());
            if (!first.registries().isEmpty()) {
                assertThat(first.registries()).as("registries accepting %s", job.image()).contains(job.image().registry());
            }
        }

        ProviderJobRef ref = submit(succeedingJob());
        awaitFinal(ref);

        assertThat(provider.capabilities()).as("capabilities after a job ran").isEqualTo(first);
        assertThat(provider.capabilities()).as("capabilities asked again").isEqualTo(first);
        assertThat(create("tck-twin").capabilities()).as("capabilities of a provider made from the same configuration")
                .isEqualTo(first);
    }

    @Test
    void freshProviderReportsItselfOnline() {
        ProviderHealth health = provider.checkHealth();

        assertThat(health).isNotNull();
        assertThat(health.status()).as("health of a provider made from a working configuration (%s)", health.message())
                .isEqualTo(ProviderStatus.ONLINE);
        assertThat(provider.checkHealth().status()).as("health asked again").isEqualTo(ProviderStatus.ONLINE);
    }

    // ---- the life of a job ---------------------------------------------------------------------

    @Test
    void submittedJobProgressesToSucceeded() {
        ProviderJobRef ref = submit(succeedingJob());

        RemoteStatus end = awaitFinal(ref);

        assertThat(end.state()).as("final state of the succeeding job (%s)", end.message()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(end.exitCode()).as("exit code of a success, when known").isIn(null, 0);
        assertPushesMoveForward(ref);
    }

    @Test
    void failedJobCarriesAReasonCode() {
        ProviderJobRef ref = submit(failingJob());

        RemoteStatus end = awaitFinal(ref);

        assertThat(end.state()).as("final state of the failing job (%s)", end.message()).isEqualTo(RemoteState.FAILED);
        assertThat(end.reason()).as("reason code of a failure").isNotNull();
        if (end.exitCode() != null) {
            assertThat(end.exitCode()).as("exit code of a failure").isNotZero();
        }
        assertPushesMoveForward(ref);
    }

    @Test
    void jobLargerThanTheCapabilitiesIsRefusedWithAReason() {
        ProviderCapabilities caps = provider.capabilities();
        Resources huge = new Resources(caps.maxCpuMillis() + 1000, Quantity.ofBytes(caps.maxMemory().bytes() + (1L << 30)),
                succeedingJob().resources().storage(), 0);

        Throwable thrown = catchThrowable(() -> submit(succeedingJob().withResources(huge)));

        assertThat(thrown).as("submit of a job asking for %s when the capabilities are %s", huge, caps)
                .isInstanceOf(ProviderException.class);
        assertThat(((ProviderException) thrown).reason()).isEqualTo(ReasonCode.RESOURCES_EXCEED_CAPABILITIES);
    }

    @Test
    void distinctSubmitsGetDistinctHandles() {
        ProviderJobRef a = submit(succeedingJob());
        ProviderJobRef b = submit(succeedingJob());

        assertThat(a).isNotEqualTo(b);
        awaitFinal(a);
        awaitFinal(b);
    }

    @Test
    void statusOfAnUnknownHandleIsAClearError() {
        ProviderJobRef unknown = ProviderJobRef.of("tck-unknown-" + UUID.randomUUID());

        Throwable thrown = catchThrowable(() -> provider.status(unknown));

        assertThat(thrown).as("status of a handle the provider never gave").isInstanceOf(ProviderException.class);
        assertThat(((ProviderException) thrown).reason()).isEqualTo(ReasonCode.PROVIDER_LOST_JOB);
        assertThat(thrown.getMessage()).as("the message names the handle").contains(unknown.value());
    }

    @Test
    void cancelOfAnUnknownHandleDoesNothingOrSaysItIsLost() {
        ProviderJobRef unknown = ProviderJobRef.of("tck-unknown-" + UUID.randomUUID());

        Throwable thrown = catchThrowable(() -> provider.cancel(unknown));

        if (thrown != null) {
            assertThat(thrown).as("cancel of a handle the provider never gave").isInstanceOf(ProviderException.class);
            assertThat(((ProviderException) thrown).reason()).isEqualTo(ReasonCode.PROVIDER_LOST_JOB);
        }
    }

    // ---- cancel --------------------------------------------------------------------------------

    @Test
    void cancelStopsARunningJob() {
        ProviderJobRef ref = submit(hangingJob());
        awaitState(ref, RemoteState.RUNNING);

        provider.cancel(ref);

        awaitState(ref, RemoteState.CANCELLED);
        assertThat(provider.status(ref).state()).as("status asked again after the cancel").isEqualTo(RemoteState.CANCELLED);
    }

    @Test
    void cancelStopsAQueuedJob() {
        Optional<JobSpec> queued = queuedJob();
        assumeTrue(queued.isPresent(), "the provider has no QUEUED state (queuedJob() is empty)");
        ProviderJobRef ref = submit(queued.get());
        awaitState(ref, RemoteState.QUEUED);

        provider.cancel(ref);

        awaitState(ref, RemoteState.CANCELLED);
    }

    @Test
    void cancelIsIdempotent() {
        ProviderJobRef ref = submit(hangingJob());
        awaitState(ref, RemoteState.RUNNING);

        provider.cancel(ref);
        provider.cancel(ref);
        awaitState(ref, RemoteState.CANCELLED);
        provider.cancel(ref);

        assertThat(provider.status(ref).state()).isEqualTo(RemoteState.CANCELLED);
    }

    @Test
    void cancelOfAFinishedJobChangesNothing() {
        ProviderJobRef won = submit(succeedingJob());
        ProviderJobRef lost = submit(failingJob());
        awaitFinal(won);
        awaitFinal(lost);

        provider.cancel(won);
        provider.cancel(lost);

        assertThat(provider.status(won).state()).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(provider.status(lost).state()).isEqualTo(RemoteState.FAILED);
    }

    // ---- optional abilities --------------------------------------------------------------------

    @Test
    void logsComeInOrderAndResumeFromACursor() {
        assumeTrue(provider instanceof LogSource, "the provider does not implement LogSource");
        LogSource logs = (LogSource) provider;
        Optional<JobSpec> printing = loggingJob();
        ProviderJobRef ref = submit(printing.orElseGet(this::succeedingJob));
        assertThat(awaitFinal(ref).state()).isEqualTo(RemoteState.SUCCEEDED);

        List<LogLine> all = logs.logs(ref, -1, 10_000);

        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).sequence()).as("sequence of line %d of %s", i, all).isGreaterThan(all.get(i - 1).sequence());
            assertThat(all.get(i).timestamp()).as("timestamp of line %d", i).isAfterOrEqualTo(all.get(i - 1).timestamp());
        }
        assertThat(all).allSatisfy(l -> assertThat(l.stream()).isNotBlank());
        if (printing.isPresent()) {
            List<String> stdout = all.stream().filter(l -> l.stream().equals("stdout")).map(LogLine::text).toList();
            assertThat(stdout).as("stdout of the logging job").containsSubsequence(LOG_LINES);
        }
        List<LogLine> paged = new ArrayList<>();
        long cursor = -1;
        for (int page = 0; page <= all.size(); page++) {
            List<LogLine> next = logs.logs(ref, cursor, 2);
            assertThat(next.size()).as("lines in a page of at most 2").isLessThanOrEqualTo(2);
            if (next.isEmpty()) {
                break;
            }
            paged.addAll(next);
            cursor = next.get(next.size() - 1).sequence();
        }
        assertThat(paged).as("the log read two lines at a time from a cursor").isEqualTo(all);
        if (!all.isEmpty()) {
            assertThat(logs.logs(ref, all.get(all.size() - 1).sequence(), 10)).as("lines after the last one").isEmpty();
        }
    }

    @Test
    void logsOfAnUnknownHandleAreAClearError() {
        assumeTrue(provider instanceof LogSource, "the provider does not implement LogSource");
        ProviderJobRef unknown = ProviderJobRef.of("tck-unknown-" + UUID.randomUUID());

        Throwable thrown = catchThrowable(() -> ((LogSource) provider).logs(unknown, -1, 10));

        assertThat(thrown).isInstanceOf(ProviderException.class);
        assertThat(((ProviderException) thrown).reason()).isEqualTo(ReasonCode.PROVIDER_LOST_JOB);
        assertThat(thrown.getMessage()).contains(unknown.value());
    }

    @Test
    void walletTopUpChangesTheBalance() {
        assumeTrue(provider instanceof Wallet, "the provider does not implement Wallet");
        Wallet wallet = (Wallet) provider;
        WalletBalance before = wallet.balance();

        WalletBalance returned = wallet.topUp(new BigDecimal("2.50"));

        assertThat(returned.currency()).isEqualTo(before.currency());
        assertThat(returned.amount()).as("balance returned by topUp(2.50) from %s", before)
                .isEqualByComparingTo(before.amount().add(new BigDecimal("2.50")));
        assertThat(wallet.balance().amount()).as("balance read after the top-up").isEqualByComparingTo(returned.amount());
    }

    @Test
    void walletRefusesATopUpThatIsNotPositive() {
        assumeTrue(provider instanceof Wallet, "the provider does not implement Wallet");
        Wallet wallet = (Wallet) provider;
        WalletBalance before = wallet.balance();

        assertThatThrownBy(() -> wallet.topUp(BigDecimal.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> wallet.topUp(new BigDecimal("-1"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(wallet.balance().amount()).isEqualByComparingTo(before.amount());
    }

    @Test
    void credentialsCanBeUpdatedAndRefreshed() {
        assumeTrue(provider instanceof CredentialManager, "the provider does not implement CredentialManager");
        CredentialManager manager = (CredentialManager) provider;

        manager.updateCredentials(updatedCredentials());
        assertThat(provider.checkHealth().status()).as("health after updating credentials").isEqualTo(ProviderStatus.ONLINE);
        assertThat(awaitFinal(submit(succeedingJob())).state()).as("a job after updating credentials")
                .isEqualTo(RemoteState.SUCCEEDED);

        manager.refreshCredentials();
        assertThat(provider.checkHealth().status()).as("health after refreshing credentials").isEqualTo(ProviderStatus.ONLINE);
        assertThat(awaitFinal(submit(succeedingJob())).state()).as("a job after refreshing credentials")
                .isEqualTo(RemoteState.SUCCEEDED);
        assertThatThrownBy(() -> manager.updateCredentials(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void endpointsCanBeReadAndReplaced() {
        assumeTrue(provider instanceof EndpointManager, "the provider does not implement EndpointManager");
        EndpointManager manager = (EndpointManager) provider;
        List<URI> current = manager.endpoints();
        assertThat(current).as("endpoints").isNotEmpty().allMatch(URI::isAbsolute);

        manager.updateEndpoints(List.copyOf(current));

        assertThat(manager.endpoints()).isEqualTo(current);
        assertThatThrownBy(() -> manager.updateEndpoints(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(manager.endpoints()).as("endpoints after a refused update").isEqualTo(current);
    }

    // ---- concurrency and close -----------------------------------------------------------------

    @Test
    void concurrentSubmitsFromManyThreadsAllRun() throws Exception {
        int n = concurrentSubmits();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ProviderJobRef>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return submit(succeedingJob());
                }));
            }
            go.countDown();
            List<ProviderJobRef> refs = new ArrayList<>();
            for (Future<ProviderJobRef> f : futures) {
                refs.add(f.get(timeout().toMillis(), TimeUnit.MILLISECONDS));
            }

            assertThat(new HashSet<>(refs)).as("distinct handles").hasSize(n);
            for (ProviderJobRef ref : refs) {
                assertThat(awaitFinal(ref).state()).as("final state of %s", ref).isEqualTo(RemoteState.SUCCEEDED);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeReleasesEverythingAndIsIdempotent() {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        ComputeProvider closing = create("tck-closing");
        ComputeProvider previous = provider;
        provider = closing;
        try {
            ProviderJobRef hanging = submit(hangingJob());
            awaitState(hanging, RemoteState.RUNNING);
            awaitFinal(submit(succeedingJob()));
        } finally {
            provider = previous;
        }

        closing.close();
        closing.close();

        await("threads started by the provider to end").atMost(timeout()).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(newThreads(before)).as("threads started by the provider, alive after close()")
                        .isEmpty());
        assertReleased(closing);
    }

    private static List<String> newThreads(Set<Thread> before) {
        List<String> alive = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !before.contains(t) && JVM_THREAD_PREFIXES.stream().noneMatch(t.getName()::startsWith)) {
                alive.add(t.getName());
            }
        }
        return alive;
    }

    // ---- secrets ---------------------------------------------------------------------------------

    @Test
    void noSecretShowsInAnyToStringOrExceptionMessage() {
        List<String> seen = new ArrayList<>();
        seen.add(String.valueOf(provider));
        seen.add(String.valueOf(factory()));
        seen.add(String.valueOf(provider.capabilities()));
        seen.add(String.valueOf(provider.checkHealth()));
        ProviderJobRef won = submit(succeedingJob());
        ProviderJobRef lost = submit(failingJob());
        ProviderJobRef cancelled = submit(hangingJob());
        awaitState(cancelled, RemoteState.RUNNING);
        provider.cancel(cancelled);
        awaitState(cancelled, RemoteState.CANCELLED);
        for (ProviderJobRef ref : List.of(won, lost, cancelled)) {
            RemoteStatus s = ref == cancelled ? provider.status(ref) : awaitFinal(ref);
            seen.add(ref.value());
            seen.add(String.valueOf(s));
            seen.add(s.message());
        }
        seen.add(String.valueOf(provider));
        seen.add(messages(catchThrowable(() -> provider.status(ProviderJobRef.of("tck-unknown-secret-check")))));
        ProviderCapabilities caps = provider.capabilities();
        seen.add(messages(catchThrowable(() -> submit(succeedingJob().withResources(
                new Resources(caps.maxCpuMillis() + 1000, succeedingJob().resources().memory(), Quantity.ZERO, 0))))));
        if (provider instanceof Wallet wallet) {
            seen.add(String.valueOf(wallet.balance()));
            seen.add(messages(catchThrowable(() -> wallet.topUp(BigDecimal.ZERO))));
        }
        if (provider instanceof CredentialManager manager) {
            manager.updateCredentials(updatedCredentials());
            seen.add(String.valueOf(provider));
        }
        for (RecordedUpdates.Report r : updates.all()) {
            seen.add(String.valueOf(r.status()));
        }

        List<String> secrets = secrets();
        for (String text : seen) {
            for (String secret : secrets) {
                assertThat(text).as("a toString or message the provider produced").doesNotContain(secret);
            }
        }
    }

    private List<String> secrets() {
        List<String> all = new ArrayList<>();
        all.add(envSecret);
        all.addAll(credentials().values().values());
        all.addAll(updatedCredentials().values().values());
        all.removeIf(s -> s.length() < 6);
        return Collections.unmodifiableList(all);
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }

    // ---- with the engine -------------------------------------------------------------------------

    @Test
    void runsAJobEndToEndInsideTheEngine() {
        Credentials creds = credentials();
        try (Cortex cortex = Cortex.builder().clock(clock())
                .provider("tck-engine", ctx -> {
                    ComputeProvider made = factory().create(new ProviderContext(ctx.id(), configuration(), creds,
                            ctx.clock(), ctx.updates()));
                    opened.add(made);
                    prepare(made);
                    return made;
                })
                .pollInterval(Duration.ofMillis(50)).tickInterval(Duration.ofMillis(20)).build()) {
            Job job = cortex.submit(withSecret(succeedingJob()));

            await("job " + job.id() + " to succeed in the engine").atMost(timeout()).pollInterval(Duration.ofMillis(20))
                    .until(() -> cortex.job(job.id()).state().isFinished());

            Job done = cortex.job(job.id());
            assertThat(done.state()).as("job run by the engine on the provider (%s)", cortex.events(job.id()))
                    .isEqualTo(JobState.SUCCEEDED);
            assertThat(done.lastAttempt().map(Attempt::provider)).as("provider of the last attempt")
                    .contains(ProviderId.of("tck-engine"));
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    private List<JobSpec> kitJobs() {
        List<JobSpec> jobs = new ArrayList<>(List.of(succeedingJob(), failingJob(), hangingJob()));
        queuedJob().ifPresent(jobs::add);
        loggingJob().ifPresent(jobs::add);
        return jobs;
    }

    private void assertPushesMoveForward(ProviderJobRef ref) {
        AttemptRef attempt = attempts.get(ref);
        List<RecordedUpdates.Report> pushed = updates.of(ref);
        for (RecordedUpdates.Report r : pushed) {
            assertThat(r.attempt()).as("attempt named in a report pushed for %s", ref).isEqualTo(attempt);
        }
        assertMovesForward(pushed.stream().map(r -> r.status().state()).toList(), "states pushed for " + ref);
        if (!pushed.isEmpty() && pushed.get(pushed.size() - 1).status().isFinal()) {
            assertThat(pushed.get(pushed.size() - 1).status().state()).as("last state pushed for %s", ref)
                    .isEqualTo(provider.status(ref).state());
        }
    }
}
