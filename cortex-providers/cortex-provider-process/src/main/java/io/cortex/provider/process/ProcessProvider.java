package io.cortex.provider.process;

import io.cortex.core.job.ImageRef;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.Quantity;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.LogSource;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderUpdates;
import io.cortex.core.provider.RemoteState;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.provider.process.internal.LineSplitter;
import io.cortex.provider.process.internal.LogBuffer;
import io.cortex.provider.process.internal.ProcessTree;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each job's command as a process on this machine: no container, the image is ignored or
 * checked against an allow list ({@link ProcessProviderConfig.ImagePolicy}). Each job gets a
 * directory of its own as working directory, {@code HOME} and {@code TMPDIR}, deleted when the job
 * ends; the job's environment variables are set, and the host's are not passed on unless
 * configured. Standard output and error become timestamped {@link LogLine}s in a bounded buffer.
 * Exit code 0 is SUCCEEDED, any other FAILED with the code ({@link ReasonCode#JOB_FAILED}); a job
 * running longer than its max run time is killed and FAILED with
 * {@link ReasonCode#MAX_RUN_TIME_EXCEEDED}. Cancel kills the whole process tree: SIGTERM, then
 * SIGKILL after the grace period, including children that outlived their parent (found on Linux by
 * a marker variable in their environment). Capacity is the configured cpu and memory, shared by the
 * jobs running at once.
 *
 * <p>Needs nothing but the JDK; the tree tracking is most thorough on Linux. Log timestamps come from
 * the context's clock; run-time limits and grace periods are real time, since processes run in it.
 * Thread-safe.
 */
public final class ProcessProvider implements ComputeProvider, LogSource {
    /** The type name, as registered with {@link java.util.ServiceLoader}. */
    public static final String TYPE = "process";

    private static final Logger LOG = LoggerFactory.getLogger(ProcessProvider.class);
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final File NULL_DEVICE = new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    private static final Duration PUMP_DRAIN = Duration.ofSeconds(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProviderId id;
    private final ProcessProviderConfig config;
    private final Clock clock;
    private final ProviderUpdates updates;
    private final Path workRoot;
    private final boolean ownsWorkRoot;
    private final ProviderCapabilities capabilities;
    private final List<Pattern> allowed;
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final ArrayDeque<String> finished = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Object lifecycle = new Object();
    private final Object capacityLock = new Object();
    private int usedCpu;
    private long usedMemory;
    private int running;
    private volatile boolean closed;

    /** One attempt: its process, its directory, its log; flags guarded by the run's monitor. */
    private static final class Run {
        final String ref;
        final AttemptRef attempt;
        final Resources resources;
        final Path dir;
        final String token;
        final Process process;
        final LogBuffer logs;
        final List<Future<?>> pumps = new ArrayList<>(2);
        volatile ScheduledFuture<?> deadline;
        volatile RemoteStatus status = RemoteStatus.running();
        boolean exited;
        boolean cancelRequested;
        boolean timedOut;

        Run(String ref, AttemptRef attempt, Resources resources, Path dir, String token, Process process, LogBuffer logs) {
            this.ref = ref;
            this.attempt = attempt;
            this.resources = resources;
            this.dir = dir;
            this.token = token;
            this.process = process;
            this.logs = logs;
        }
    }

    private ProcessProvider(ProviderContext context, ProcessProviderConfig config) {
        this.id = context.id();
        this.config = config;
        this.clock = context.clock();
        this.updates = context.updates();
        Optional<Path> configured = config.workDir();
        try {
            if (configured.isPresent()) {
                this.workRoot = Files.createDirectories(configured.get()).toAbsolutePath();
                this.ownsWorkRoot = false;
            } else {
                this.workRoot = Files.createTempDirectory("cortex-process-" + id + "-").toAbsolutePath();
                this.ownsWorkRoot = true;
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("provider " + id + ": setting 'workDir': cannot create the work directory "
                    + configured.map(Path::toString).orElse("in " + System.getProperty("java.io.tmpdir")) + ": " + e, e);
        }
        if (!Files.isWritable(workRoot)) {
            throw new IllegalArgumentException("provider " + id + ": setting 'workDir': " + workRoot + " is not writable");
        }
        Quantity storage = config.storage().orElseGet(this::fileSystemSize);
        this.capabilities = new ProviderCapabilities(config.cpuMillis(), config.memory(), storage, 0,
                Set.of(architecture()), Set.of(), BigDecimal.ZERO, "USD");
        this.allowed = config.allowedImages().stream().map(ProcessProvider::glob).toList();
        this.io = Executors.newCachedThreadPool(threads("cortex-process-" + id + "-io-"));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, threads("cortex-process-" + id + "-timer-"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
    }

    /**
     * A provider configured by the context's settings (see {@link ProcessProviderConfig}).
     *
     * @throws NullPointerException when {@code context} is null
     * @throws IllegalArgumentException naming the provider and the key when a setting is invalid
     */
    public static ProcessProvider create(ProviderContext context) {
        Objects.requireNonNull(context, "context cannot be null");
        return create(context, ProcessProviderConfig.fromSettings(context.id(), context.config()));
    }

    /**
     * A provider with its id, clock and status callback from {@code context} and its settings from
     * {@code config} (the context's settings are then ignored).
     *
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the work directory cannot be created or written
     */
    public static ProcessProvider create(ProviderContext context, ProcessProviderConfig config) {
        Objects.requireNonNull(context, "context cannot be null");
        Objects.requireNonNull(config, "config cannot be null");
        return new ProcessProvider(context, config);
    }

    /** The settings in use. */
    public ProcessProviderConfig config() {
        return config;
    }

    /** The directory holding the jobs' directories. */
    public Path workRoot() {
        return workRoot;
    }

    /**
     * The directory of a job still running, empty once it ended (it is deleted then) or for an
     * unknown handle.
     *
     * @throws NullPointerException when {@code ref} is null
     */
    public Optional<Path> workDirectory(ProviderJobRef ref) {
        Objects.requireNonNull(ref, "ref cannot be null");
        Run r = runs.get(ref.value());
        return r == null || r.status.isFinal() ? Optional.empty() : Optional.of(r.dir);
    }

    /** Jobs whose process runs now. */
    public int runningJobs() {
        synchronized (capacityLock) {
            return running;
        }
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
        return capabilities;
    }

    @Override
    public ProviderHealth checkHealth() {
        if (closed) {
            return ProviderHealth.offline("process provider " + id + " is closed");
        }
        if (!Files.isDirectory(workRoot) || !Files.isWritable(workRoot)) {
            return ProviderHealth.offline("work directory " + workRoot + " is missing or not writable");
        }
        synchronized (capacityLock) {
            if (running >= config.maxJobs()) {
                return ProviderHealth.degraded(ReasonCode.NO_CAPACITY, "all " + config.maxJobs() + " job slots are busy");
            }
            if (usedCpu >= config.cpuMillis() || usedMemory >= config.memory().bytes()) {
                return ProviderHealth.degraded(ReasonCode.NO_CAPACITY, "cpu " + usedCpu + "m of " + config.cpuMillis()
                        + "m and memory " + Quantity.ofBytes(usedMemory) + " of " + config.memory() + " in use");
            }
        }
        return ProviderHealth.online();
    }

    @Override
    public ProviderJobRef submit(JobSpec spec, AttemptRef attempt) {
        Objects.requireNonNull(spec, "spec cannot be null");
        Objects.requireNonNull(attempt, "attempt cannot be null");
        ensureOpen();
        if (spec.command().isEmpty()) {
            throw new ProviderException(ReasonCode.PROVIDER_REJECTED, "job " + attempt
                    + " has no command; the process provider runs the job's command on this machine and has no image entrypoint");
        }
        checkImage(spec.image());
        checkFits(spec.resources());
        reserve(spec.resources());
        String ref = id + "-" + sequence.incrementAndGet() + "-" + HexFormat.of().formatHex(randomBytes(4));
        Path dir = workRoot.resolve(ref);
        String token = UUID.randomUUID().toString();
        boolean registered = false;
        Process process = null;
        try {
            Files.createDirectory(dir);
            ProcessBuilder pb = new ProcessBuilder(spec.command()).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE));
            environment(pb.environment(), spec, attempt, dir, token);
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new ProviderException(ReasonCode.PROVIDER_REJECTED, "command '" + spec.command().get(0) + "' of job "
                        + attempt + " cannot be started on " + id + ": " + e.getMessage(), e);
            }
            Run r = new Run(ref, attempt, spec.resources(), dir, token, process, new LogBuffer(config.logLines()));
            synchronized (lifecycle) {
                if (closed) {
                    throw new ProviderException(ReasonCode.PROVIDER_OFFLINE, "process provider " + id + " is closed");
                }
                runs.put(ref, r);
                registered = true;
                r.pumps.add(io.submit(() -> pump(r, r.process.getInputStream(), "stdout")));
                r.pumps.add(io.submit(() -> pump(r, r.process.getErrorStream(), "stderr")));
            }
            // RUNNING is pushed before the waiter starts, so it can never arrive after the final status
            push(r, RemoteStatus.running());
            Optional<Duration> limit = spec.maxRunTime().or(config::defaultMaxRunTime);
            if (limit.isPresent()) {
                try {
                    r.deadline = timer.schedule(() -> onTimer(r), limit.get().toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // closing: close() kills the job
                }
            }
            try {
                io.execute(() -> awaitExit(r));
            } catch (RejectedExecutionException e) {
                awaitExit(r); // closing: close() killed the process, settle it here
            }
            return ProviderJobRef.of(ref);
        } catch (IOException e) {
            throw new ProviderException(ReasonCode.PROVIDER_ERROR, "cannot create the directory of job " + attempt + " in "
                    + workRoot + ": " + e.getMessage(), e);
        } finally {
            if (!registered) {
                if (process != null) {
                    ProcessTree.kill(process.toHandle(), token, Duration.ZERO);
                }
                release(spec.resources());
                deleteTree(dir);
            }
        }
    }

    @Override
    public RemoteStatus status(ProviderJobRef ref) {
        return run(ref).status;
    }

    /** Cancelling an unknown, finished or already cancelled job does nothing. */
    @Override
    public void cancel(ProviderJobRef ref) {
        Objects.requireNonNull(ref, "ref cannot be null");
        Run r = runs.get(ref.value());
        if (r == null) {
            return;
        }
        synchronized (r) {
            if (r.exited || r.cancelRequested) {
                return;
            }
            r.cancelRequested = true;
        }
        ProcessTree.kill(r.process.toHandle(), r.token, config.killGracePeriod());
    }

    /**
     * Lines the job printed, both streams in arrival order; the oldest are dropped when more than
     * {@link ProcessProviderConfig#logLines()} arrived.
     *
     * @throws ProviderException with {@code PROVIDER_LOST_JOB} for an unknown handle
     * @throws IllegalArgumentException when {@code limit} is negative
     */
    @Override
    public List<LogLine> logs(ProviderJobRef ref, long afterSequence, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        return run(ref).logs.after(afterSequence, limit);
    }

    /** Kills every job still running (they end CANCELLED), stops the threads, deletes the directories. Idempotent. */
    @Override
    public void close() {
        List<Run> live = new ArrayList<>();
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            live.addAll(runs.values());
        }
        for (Run r : live) {
            synchronized (r) {
                if (r.exited) {
                    continue;
                }
                r.cancelRequested = true;
            }
            ProcessTree.kill(r.process.toHandle(), r.token, Duration.ZERO);
        }
        timer.shutdownNow();
        io.shutdown();
        try {
            if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("process provider {}: threads still busy 10 s after close; interrupting them", id);
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (ownsWorkRoot) {
            deleteTree(workRoot);
        }
    }

    @Override
    public String toString() {
        return "ProcessProvider{" + id + (closed ? ", closed" : "") + ", running=" + runningJobs() + ", workRoot=" + workRoot + "}";
    }

    // ---- internals ---------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new ProviderException(ReasonCode.PROVIDER_OFFLINE, "process provider " + id + " is closed");
        }
    }

    private Run run(ProviderJobRef ref) {
        Objects.requireNonNull(ref, "ref cannot be null");
        Run r = runs.get(ref.value());
        if (r == null) {
            throw new ProviderException(ReasonCode.PROVIDER_LOST_JOB, "no job with handle " + ref + " on process provider " + id
                    + " (never started here, or forgotten after " + config.retainedFinished() + " newer jobs finished)");
        }
        return r;
    }

    private void checkImage(ImageRef image) {
        if (config.imagePolicy() != ProcessProviderConfig.ImagePolicy.ALLOWLIST) {
            return;
        }
        String written = image.toString();
        String suffix = image.tag().map(t -> ":" + t).orElse("") + image.digest().map(d -> "@" + d).orElse("");
        List<String> forms = new ArrayList<>(List.of(written, image.registry() + "/" + image.repository() + suffix));
        if (image.registry().equals(ImageRef.DEFAULT_REGISTRY) && !image.repository().contains("/")) {
            forms.add(ImageRef.DEFAULT_REGISTRY + "/library/" + image.repository() + suffix); // Docker Hub's official images
        }
        for (Pattern p : allowed) {
            for (String form : forms) {
                if (p.matcher(form).matches()) {
                    return;
                }
            }
        }
        throw new ProviderException(ReasonCode.IMAGE_REJECTED, "image '" + written + "' matches none of the allowed images "
                + config.allowedImages() + " of process provider " + id);
    }

    private void checkFits(Resources r) {
        List<String> over = new ArrayList<>();
        if (r.cpuMillis() > capabilities.maxCpuMillis()) {
            over.add("cpu " + r.cpuMillis() + "m > " + capabilities.maxCpuMillis() + "m");
        }
        if (r.memory().exceeds(capabilities.maxMemory())) {
            over.add("memory " + r.memory() + " > " + capabilities.maxMemory());
        }
        if (r.storage().exceeds(capabilities.maxStorage())) {
            over.add("storage " + r.storage() + " > " + capabilities.maxStorage());
        }
        if (r.gpus() > capabilities.maxGpus()) {
            over.add("gpus " + r.gpus() + " > " + capabilities.maxGpus());
        }
        if (!over.isEmpty()) {
            throw new ProviderException(ReasonCode.RESOURCES_EXCEED_CAPABILITIES, "process provider " + id + " cannot run "
                    + String.join(", ", over));
        }
    }

    private void reserve(Resources r) {
        synchronized (capacityLock) {
            if (running >= config.maxJobs()) {
                throw new ProviderException(ReasonCode.NO_CAPACITY, "all " + config.maxJobs() + " job slots of " + id + " are busy");
            }
            if (usedCpu + r.cpuMillis() > config.cpuMillis()) {
                throw new ProviderException(ReasonCode.NO_CAPACITY, "cpu " + usedCpu + "m of " + config.cpuMillis() + "m of "
                        + id + " in use; the job asks for " + r.cpuMillis() + "m");
            }
            if (usedMemory + r.memory().bytes() > config.memory().bytes()) {
                throw new ProviderException(ReasonCode.NO_CAPACITY, "memory " + Quantity.ofBytes(usedMemory) + " of "
                        + config.memory() + " of " + id + " in use; the job asks for " + r.memory());
            }
            running++;
            usedCpu += r.cpuMillis();
            usedMemory += r.memory().bytes();
        }
    }

    private void release(Resources r) {
        synchronized (capacityLock) {
            running--;
            usedCpu -= r.cpuMillis();
            usedMemory -= r.memory().bytes();
        }
    }

    private void environment(Map<String, String> env, JobSpec spec, AttemptRef attempt, Path dir, String token) {
        if (!config.inheritEnvironment()) {
            String path = env.get("PATH");
            env.clear();
            env.put("PATH", path == null || path.isBlank() ? DEFAULT_PATH : path);
            env.put("HOME", dir.toString());
        }
        env.put("TMPDIR", dir.toString());
        env.putAll(spec.env());
        env.put("CORTEX_JOB_ID", attempt.jobId().value());
        env.put("CORTEX_ATTEMPT", Integer.toString(attempt.number()));
        env.put(ProcessTree.MARKER_VARIABLE, token);
    }

    private void pump(Run r, InputStream in, String stream) {
        try (in) {
            LineSplitter.split(in, config.maxLineLength(), line -> r.logs.append(clock.instant(), stream, line));
        } catch (IOException e) {
            LOG.debug("process provider {}: {} of {} closed: {}", id, stream, r.ref, e.toString());
        }
    }

    /** Runs on an io thread per job: waits for the process, then settles the job. */
    private void awaitExit(Run r) {
        int code;
        try {
            code = r.process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTree.kill(r.process.toHandle(), r.token, Duration.ZERO);
            code = r.process.isAlive() ? -1 : r.process.exitValue();
        }
        boolean cancelled;
        boolean overran;
        synchronized (r) {
            r.exited = true;
            cancelled = r.cancelRequested;
            overran = r.timedOut;
        }
        ScheduledFuture<?> deadline = r.deadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        // the job ends with its main process: what it left running in the background goes too
        ProcessTree.kill(r.process.toHandle(), r.token, Duration.ZERO);
        for (Future<?> pump : r.pumps) {
            try {
                pump.get(PUMP_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("process provider {}: output of {} still open {} after the process exited; logs may be incomplete",
                        id, r.ref, PUMP_DRAIN);
            } catch (ExecutionException e) {
                LOG.warn("process provider {}: reading the output of {} failed", id, r.ref, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RemoteStatus end;
        if (cancelled) {
            end = RemoteStatus.cancelled();
        } else if (overran) {
            end = new RemoteStatus(RemoteState.FAILED, ReasonCode.MAX_RUN_TIME_EXCEEDED,
                    "killed after running longer than its max run time", code, null);
        } else {
            end = RemoteStatus.exited(code, "process exited with code " + code);
        }
        release(r.resources);
        deleteTree(r.dir);
        r.status = end;
        retire(r.ref);
        push(r, end);
    }

    private void onTimer(Run r) {
        try {
            io.execute(() -> overrun(r));
        } catch (RejectedExecutionException e) {
            // closing: close() kills the job
        }
    }

    private void overrun(Run r) {
        synchronized (r) {
            if (r.exited || r.cancelRequested || r.timedOut) {
                return;
            }
            r.timedOut = true;
        }
        r.logs.append(clock.instant(), "stderr", "cortex: max run time exceeded; killing the process tree");
        ProcessTree.kill(r.process.toHandle(), r.token, config.killGracePeriod());
    }

    private void retire(String ref) {
        synchronized (finished) {
            finished.addLast(ref);
            while (finished.size() > config.retainedFinished()) {
                runs.remove(finished.pollFirst());
            }
        }
    }

    private void push(Run r, RemoteStatus status) {
        try {
            updates.report(r.attempt, ProviderJobRef.of(r.ref), status);
        } catch (RuntimeException e) {
            LOG.warn("process provider {}: the status callback failed for {}", id, r.ref, e);
        }
    }

    private Quantity fileSystemSize() {
        try {
            long total = Files.getFileStore(workRoot).getTotalSpace();
            if (total > 0) {
                return Quantity.ofBytes(total);
            }
        } catch (IOException e) {
            LOG.debug("process provider {}: cannot read the size of {}: {}", id, workRoot, e.toString());
        }
        return Quantity.gibibytes(10);
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    private static Pattern glob(String pattern) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Deletes a directory tree without following symbolic links; what cannot be deleted is logged. */
    private void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    dir.toFile().setWritable(true, true);
                    dir.toFile().setExecutable(true, true);
                    dir.toFile().setReadable(true, true);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("process provider {}: could not delete {} entirely: {}", id, root, e.toString());
        }
    }

    private static void delete(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (AccessDeniedException e) {
            Path parent = p.getParent();
            if (parent != null) {
                parent.toFile().setWritable(true, true);
            }
            Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // gone already
        }
    }
}
