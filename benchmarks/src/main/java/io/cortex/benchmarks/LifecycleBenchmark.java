package io.cortex.benchmarks;

import io.cortex.core.Cortex;
import io.cortex.core.EngineMetrics;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.carbonaware.CarbonAwareJobProcessingConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Jobs per second through the whole lifecycle, submit → SUCCEEDED, for Cortex and its peers on the
 * same no-op workload.
 *
 * <p>One operation is a batch of {@value #BATCH} jobs submitted one call at a time by each
 * benchmark thread and awaited until every one of them is reported finished by the system's own
 * completion hook; {@link OperationsPerInvocation} turns the score into jobs per second (summed over
 * threads by JMH). Completion detection is the same everywhere: the hook calls
 * {@link Completions#completed()} (one atomic increment), the submitting thread parks until its
 * batch is done.
 *
 * <ul>
 *   <li><b>cortex</b>: engine with its default background threads (scheduler, event dispatcher,
 *       worker pool), in-memory store retaining {@value #RETAINED_BATCHES} batches per thread of
 *       finished jobs,
 *       {@link InMemoryProvider} with zero start delay and run time, so a job succeeds inside the
 *       provider's submit and the provider pushes SUCCEEDED through its status callback (no
 *       polling). Completion: a {@code CortexListener} counting SUCCEEDED events, i.e. the job is
 *       stored SUCCEEDED <em>and</em> the event reached a listener on the dispatcher thread.</li>
 *   <li><b>quartz</b>: Quartz 2.5 with RAMJobStore and a SimpleThreadPool, one JobDetail plus a
 *       fire-now SimpleTrigger per job, trigger acquisition batched to the pool size. Completion:
 *       a JobListener's {@code jobWasExecuted}.</li>
 *   <li><b>jobrunr</b>: JobRunr 8.1 with InMemoryStorageProvider and a BackgroundJobServer at its
 *       smallest poll interval for that storage (200 ms), no dashboard, no carbon-aware lookups.
 *       Completion: an ApplyStateFilter seeing the SUCCEEDED state applied.</li>
 *   <li><b>executor</b>: a bare ThreadPoolExecutor running no-op Runnables: the floor any
 *       orchestrator pays for a thread hand-off.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LifecycleBenchmark {
    /** Jobs per operation. */
    public static final int BATCH = 10_000;
    /** Benchmark threads supported (lanes). */
    static final int MAX_THREADS = 8;
    /** An await fails when none of its jobs completes for this long (JobRunr serves lanes FIFO, slowly). */
    static final long STALL_MILLIS = 180_000;

    /** Quartz SimpleThreadPool size: 4 beat 2 and 8 here (trigger acquisition batched to the same size). */
    static final String QUARTZ_THREADS = "4";
    /** JobRunr BackgroundJobServer workers (see {@link JobRunrState#jobrunrWorkers}). */
    static final String JOBRUNR_WORKERS = "128";
    /** Bare executor threads: one per core. */
    static final String EXECUTOR_THREADS = "2";

    /**
     * Finished jobs the Cortex store keeps, in batches per submitting thread. More than one: the
     * engine still touches a job after the provider pushed SUCCEEDED from inside its submit
     * ({@code Cortex.accepted}) and throws NotFoundException if retention dropped it meanwhile, which
     * a thread descheduled while the other finishes a whole batch can hit (with retention 0 every
     * submit does).
     */
    static final int RETAINED_BATCHES = 4;
    /** Finished runs the in-memory provider remembers (see {@link #newEngine}). */
    static final int PROVIDER_RETAINED = 1_024;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** What one submitting thread owns. */
    static final class Lane {
        final int index;
        final Completions done = new Completions();
        final String group;
        final Runnable noop;
        final JobSpec spec;
        long seq;

        Lane(int index) {
            this.index = index;
            this.group = "g" + index;
            this.noop = done::completed;
            // one spec per lane, equal in content: the listener tells lanes apart by identity
            this.spec = JobSpec.builder().image("bench/noop:1").build();
        }
    }

    static Lane[] lanes() {
        Lane[] out = new Lane[MAX_THREADS];
        for (int i = 0; i < MAX_THREADS; i++) {
            out[i] = new Lane(i);
        }
        return out;
    }

    // =========================================================================================
    // Cortex
    // =========================================================================================

    @State(Scope.Benchmark)
    public static class CortexState {
        /**
         * {@code none} (the default): no meter registry. {@code prometheus}: the engine records its meters
         * into a {@code PrometheusMeterRegistry} ({@code -p meters=none,prometheus} measures the cost).
         */
        @Param("none")
        public String meters = "none";

        Cortex cortex;
        final Lane[] lanes = lanes();

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            init(params.getThreads());
        }

        void init(int threads) {
            cortex = newEngine(RETAINED_BATCHES * Math.max(1, threads) * BATCH, lanes, registry(meters));
        }

        /** The registry {@code meters} names, or null. */
        static Object registry(String meters) {
            return switch (meters) {
                case "none" -> null;
                case "prometheus" -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                default -> throw new IllegalArgumentException("meters must be none or prometheus, got " + meters);
            };
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            // cortex_submitLatency submits open loop: the engine's event thread may still be applying
            // the providers' reports of the last jobs, so wait for it (as long as it makes progress)
            EngineMetrics m = drained(cortex);
            cortex.close();
            if (m.failed() > 0 || m.succeeded() != m.submitted()) {
                throw new IllegalStateException("not every job succeeded: " + m);
            }
        }

        /** The engine's metrics once every submitted job finished, or once nothing finished for a stall. */
        static EngineMetrics drained(Cortex cortex) {
            EngineMetrics m = cortex.metrics();
            long last = -1;
            long lastProgress = System.nanoTime();
            while (m.succeeded() + m.failed() + m.cancelled() < m.submitted()
                    && System.nanoTime() - lastProgress < TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                if (m.succeeded() != last) {
                    last = m.succeeded();
                    lastProgress = System.nanoTime();
                }
                LockSupport.parkNanos(10_000_000L);
                m = cortex.metrics();
            }
            return m;
        }

        void batch(int lane) {
            Lane l = lanes[lane];
            long until = l.done.expect(BATCH);
            JobSpec spec = l.spec;
            for (int i = 0; i < BATCH; i++) {
                cortex.submit(spec);
            }
            l.done.await(until, STALL_MILLIS);
        }
    }

    /**
     * The engine as measured: default background threads, the in-memory store keeping
     * {@code retained} finished jobs, one zero-delay in-memory provider, and a listener counting
     * SUCCEEDED events per lane. The provider remembers its last {@value #PROVIDER_RETAINED}
     * finished runs (default 10,000): enough to answer the engine's scheduler when it polls a job
     * in the instant between the provider's push and the engine recording SUCCEEDED (a provider
     * that forgot the run at once would answer "lost" and the job would fail over).
     */
    static Cortex newEngine(int retained, Lane[] lanes, Object meterRegistry) {
        InMemoryProvider provider = InMemoryProvider.builder("mem").retainedFinished(PROVIDER_RETAINED).build();
        Cortex.Builder b = Cortex.builder();
        if (meterRegistry != null) {
            b.meterRegistry(meterRegistry);
        }
        return b
                .provider(provider)
                .retention(retained, Duration.ofHours(1))
                .listener(e -> {
                    CortexEvent.JobChange c = e.job();
                    if (c == null) {
                        return;
                    }
                    JobEvent ev = c.event();
                    if (ev.to() != JobState.SUCCEEDED || !ev.isTransition()) {
                        return;
                    }
                    JobSpec s = c.job().spec();
                    for (Lane l : lanes) {
                        if (l.spec == s) {
                            l.done.completed();
                            return;
                        }
                    }
                })
                .build();
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void cortex_1thread(CortexState s, ThreadParams t) {
        s.batch(t.getThreadIndex());
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void cortex_2threads(CortexState s, ThreadParams t) {
        s.batch(t.getThreadIndex());
    }

    /**
     * One {@code cortex.submit} call: stored, placed and handed to the provider, which finishes it inside its
     * {@code submit}; the provider's report is applied, and the events delivered, on the engine's event thread.
     */
    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public io.cortex.core.job.Job cortex_submitLatency(CortexState s) {
        return s.cortex.submit(s.lanes[0].spec);
    }

    // =========================================================================================
    // Quartz 2.5, RAMJobStore
    // =========================================================================================

    /** The no-op Quartz job. */
    public static final class QuartzNoop implements org.quartz.Job {
        @Override
        public void execute(JobExecutionContext context) {
            // nothing: the workload is the orchestration itself
        }
    }

    @State(Scope.Benchmark)
    public static class QuartzState {
        /** SimpleThreadPool size; trigger acquisition is batched to the same size. */
        @Param(QUARTZ_THREADS)
        public int quartzThreads = Integer.parseInt(QUARTZ_THREADS);

        Scheduler scheduler;
        final Lane[] lanes = lanes();

        @Setup(Level.Trial)
        public void setUp() throws SchedulerException {
            Properties p = new Properties();
            p.setProperty("org.quartz.scheduler.instanceName", "bench-" + INSTANCES.incrementAndGet());
            p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
            p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
            p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(quartzThreads));
            p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
            // fair tuning: hand the pool as many due triggers per acquisition as it has threads
            p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", Integer.toString(quartzThreads));
            p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
            scheduler = new StdSchedulerFactory(p).getScheduler();
            scheduler.getListenerManager().addJobListener(new JobListener() {
                @Override
                public String getName() {
                    return "completions";
                }

                @Override
                public void jobToBeExecuted(JobExecutionContext context) { }

                @Override
                public void jobExecutionVetoed(JobExecutionContext context) { }

                @Override
                public void jobWasExecuted(JobExecutionContext context, JobExecutionException e) {
                    if (e == null) {
                        lanes[context.getJobDetail().getKey().getGroup().charAt(1) - '0'].done.completed();
                    }
                }
            });
            scheduler.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SchedulerException {
            scheduler.shutdown(true);
        }

        void batch(int lane) throws SchedulerException {
            Lane l = lanes[lane];
            long until = l.done.expect(BATCH);
            for (int i = 0; i < BATCH; i++) {
                String name = "j" + (l.seq++);
                JobDetail job = JobBuilder.newJob(QuartzNoop.class).withIdentity(name, l.group).build();
                Trigger trigger = TriggerBuilder.newTrigger().withIdentity(name, l.group).startNow().build();
                scheduler.scheduleJob(job, trigger);
            }
            l.done.await(until, STALL_MILLIS);
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void quartz_1thread(QuartzState s, ThreadParams t) throws SchedulerException {
        s.batch(t.getThreadIndex());
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void quartz_2threads(QuartzState s, ThreadParams t) throws SchedulerException {
        s.batch(t.getThreadIndex());
    }

    // =========================================================================================
    // JobRunr 8.1, InMemoryStorageProvider
    // =========================================================================================

    /** The no-op JobRunr job: a static method, as JobRunr analyses job lambdas. */
    public static final class JobRunrNoop {
        private JobRunrNoop() {}

        public static void run(int lane) {
            // nothing: the workload is the orchestration itself
        }
    }

    @State(Scope.Benchmark)
    public static class JobRunrState {
        /**
         * BackgroundJobServer workers. 128 was the best of 4, 16 (JobRunr's default here: 8 per core),
         * 64, 128 and 256 on this machine: every idle worker asks the storage for new work.
         */
        @Param(JOBRUNR_WORKERS)
        public int jobrunrWorkers = Integer.parseInt(JOBRUNR_WORKERS);

        JobScheduler scheduler;
        final Lane[] lanes = lanes();

        @Setup(Level.Trial)
        public void setUp() {
            BackgroundJobServerConfiguration server = BackgroundJobServerConfiguration
                    .usingStandardBackgroundJobServerConfiguration()
                    // the smallest poll interval JobRunr accepts for its in-memory storage
                    .andPollInterval(Duration.ofMillis(200))
                    .andWorkerCount(jobrunrWorkers)
                    // bound the storage like Cortex's retention: succeeded jobs do not pile up
                    .andDeleteSucceededJobsAfter(Duration.ofSeconds(1))
                    .andCarbonAwareJobProcessingConfiguration(
                            CarbonAwareJobProcessingConfiguration.usingDisabledCarbonAwareJobProcessingConfiguration());
            ApplyStateFilter succeeded = (job, oldState, newState) -> {
                if (newState.getName() == StateName.SUCCEEDED) {
                    Object lane = job.getJobDetails().getJobParameters().get(0).getObject();
                    lanes[(Integer) lane].done.completed();
                }
            };
            scheduler = JobRunr.configure()
                    .useJsonMapper(new JacksonJsonMapper())
                    .useStorageProvider(new InMemoryStorageProvider())
                    .withJobFilter(succeeded)
                    .useBackgroundJobServer(server)
                    .initialize()
                    .getJobScheduler();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            JobRunr.destroy();
        }

        void batch(int lane) {
            Lane l = lanes[lane];
            long until = l.done.expect(BATCH);
            int index = l.index;
            for (int i = 0; i < BATCH; i++) {
                scheduler.enqueue(() -> JobRunrNoop.run(index));
            }
            l.done.await(until, STALL_MILLIS);
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void jobrunr_1thread(JobRunrState s, ThreadParams t) {
        s.batch(t.getThreadIndex());
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void jobrunr_2threads(JobRunrState s, ThreadParams t) {
        s.batch(t.getThreadIndex());
    }

    // =========================================================================================
    // the floor: a bare ThreadPoolExecutor
    // =========================================================================================

    @State(Scope.Benchmark)
    public static class ExecutorState {
        /** Pool threads (one per core here). */
        @Param(EXECUTOR_THREADS)
        public int executorThreads = Integer.parseInt(EXECUTOR_THREADS);

        ThreadPoolExecutor pool;
        final Lane[] lanes = lanes();

        @Setup(Level.Trial)
        public void setUp() {
            pool = new ThreadPoolExecutor(executorThreads, executorThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
            pool.prestartAllCoreThreads();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            List<Runnable> left = pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
            if (!left.isEmpty()) {
                throw new IllegalStateException(left.size() + " runnables left");
            }
        }

        void batch(int lane) {
            Lane l = lanes[lane];
            long until = l.done.expect(BATCH);
            Runnable r = l.noop;
            for (int i = 0; i < BATCH; i++) {
                pool.execute(r);
            }
            l.done.await(until, STALL_MILLIS);
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void executor_1thread(ExecutorState s, ThreadParams t) {
        s.batch(t.getThreadIndex());
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void executor_2threads(ExecutorState s, ThreadParams t) {
        s.batch(t.getThreadIndex());
    }
}
