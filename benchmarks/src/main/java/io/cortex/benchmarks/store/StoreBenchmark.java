package io.cortex.benchmarks.store;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.cortex.core.Cortex;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.store.jdbc.JdbcJobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.carbonaware.CarbonAwareJobProcessingConfiguration;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Jobs per second end to end through a durable store: submit → SUCCEEDED, with every change
 * written to the database, for Cortex on H2 and PostgreSQL with one and three engines, and for
 * JobRunr and db-scheduler on the same PostgreSQL with the same no-op work.
 *
 * <p>One operation is a batch of {@value #BATCH} jobs, submitted one call at a time per submitting
 * thread ({@code submitters}: 1, or 16 splitting the batch, as the request threads of a service do;
 * the same for every system) round-robin over the engines, and awaited until each is reported
 * finished by the system's own hook; {@link OperationsPerInvocation} turns the score into jobs per
 * second. Each trial gets a fresh database: a new H2 file, or a new PostgreSQL schema (dropped after).
 * PostgreSQL comes from {@code CORTEX_PG_URL} / {@code CORTEX_PG_USER} / {@code CORTEX_PG_PASSWORD}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, empty).
 *
 * <ul>
 *   <li><b>cortex</b>: engines with their default background threads, each on its own
 *       {@link JdbcJobStore} (its own pool) over one database; three engines on H2 share one file in
 *       this JVM with {@code shared(true)}. Store defaults otherwise (pool of 10, retention of
 *       10,000 finished jobs). One {@link InMemoryProvider} backend for all engines (any engine
 *       may poll any job), each engine with its own {@linkplain InMemoryProvider#newClient() client} of it (its
 *       changes pushed to the engine that submitted the job, as to the replica that holds the client), with zero start delay and run time pushes SUCCEEDED through its
 *       status callback (no polling). Completion: a
 *       listener counting SUCCEEDED events, i.e. the job is stored SUCCEEDED (inserted with its
 *       placement, then one compare-and-set update that starts and finishes it, each write storing
 *       job, history and outbox in one transaction) <em>and</em>
 *       the event came out of the outbox to a listener on whichever engine holds the outbox lease.</li>
 *   <li><b>jobrunr</b>: JobRunr 8 with {@link PostgresStorageProvider}, one or three
 *       {@link BackgroundJobServer}s at the smallest poll interval JobRunr allows for SQL storage
 *       (5 s), 16 workers each; a pool of 10 + 10 per server + 1 per submitting thread. Completion: the job body itself (it runs; JobRunr stores SUCCEEDED
 *       after it), so JobRunr is measured to a slightly earlier point than Cortex.</li>
 *   <li><b>dbscheduler</b>: db-scheduler with one or three {@link Scheduler}s on its
 *       {@code scheduled_tasks} table, 16 threads each, polling every 100 ms and immediate
 *       execution enabled; one-time tasks due now; the same pool sizing as JobRunr. Completion: the task body (db-scheduler deletes
 *       the execution after it), the same earlier point as JobRunr.</li>
 * </ul>
 *
 * <p>Run from the benchmarks module with {@code java -jar target/benchmarks.jar StoreBenchmark}, or
 * {@link #main} for a quick look (one fork, one warm-up and three measurement iterations).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class StoreBenchmark {
    /** Jobs per operation. */
    public static final int BATCH = 1_000;
    /** An await fails when no job completes for this long. */
    static final long STALL_MILLIS = 120_000;

    static final String PG_URL = setting("CORTEX_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = setting("CORTEX_PG_USER", "postgres");
    static final String PG_PASSWORD = setting("CORTEX_PG_PASSWORD", "");

    static String setting(String name, String fallback) {
        String v = System.getProperty(name, System.getenv(name));
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Counts completions and lets the submitting thread wait for its batch. */
    static final class Done {
        private final AtomicLong done = new AtomicLong();
        private volatile long target = Long.MAX_VALUE;
        private volatile Thread owner;

        void completed() {
            if (done.incrementAndGet() == target) {
                Thread t = owner;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }

        long expect(int count) {
            owner = Thread.currentThread();
            long t = done.get() + count;
            target = t;
            return t;
        }

        void await(long until) {
            long last = done.get();
            long progress = System.nanoTime();
            while (true) {
                long n = done.get();
                if (n >= until) {
                    return;
                }
                if (n != last) {
                    last = n;
                    progress = System.nanoTime();
                } else if (System.nanoTime() - progress > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                    throw new IllegalStateException("no job completed for " + STALL_MILLIS + " ms: " + n + " of " + until);
                }
                LockSupport.parkNanos(this, 1_000_000L);
            }
        }
    }

    /**
     * The threads that submit a batch: one calls at a time on the benchmark thread; more split the
     * batch and each submits its share one call at a time, as the request threads of a service do.
     */
    static final class Submitters implements AutoCloseable {
        private final int threads;
        private final ExecutorService pool;

        Submitters(int threads) {
            this.threads = threads;
            this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "bench-submitter");
                t.setDaemon(true);
                return t;
            });
        }

        /** Calls {@code submit} with 0 … count-1, spread over the threads; returns when every call returned. */
        void run(int count, IntConsumer submit) {
            if (pool == null) {
                for (int i = 0; i < count; i++) {
                    submit.accept(i);
                }
                return;
            }
            List<Future<?>> parts = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < count; i += threads) {
                        submit.accept(i);
                    }
                }));
            }
            for (Future<?> f : parts) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a submitting thread failed", e.getCause());
                }
            }
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** A fresh database for one trial: an H2 file in a temporary folder, or a PostgreSQL schema. */
    static final class Database implements AutoCloseable {
        final String kind;
        final Path dir;
        final String schema;

        Database(String kind) {
            this.kind = kind;
            try {
                if (kind.equals("h2")) {
                    dir = Files.createTempDirectory("cortex-bench");
                    schema = null;
                } else {
                    dir = null;
                    schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
                    execute("CREATE SCHEMA " + schema);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        JdbcJobStore.Builder store() {
            return kind.equals("h2") ? JdbcJobStore.builder().h2File(dir.resolve("cortex"))
                    : JdbcJobStore.builder().jdbcUrl(PG_URL).credentials(PG_USER, PG_PASSWORD).schema(schema);
        }

        HikariDataSource pool(int size) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(PG_URL);
            c.setUsername(PG_USER);
            c.setPassword(PG_PASSWORD);
            c.setSchema(schema);
            c.setMaximumPoolSize(size);
            return new HikariDataSource(c);
        }

        static void execute(String... sql) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement st = c.createStatement()) {
                for (String s : sql) {
                    st.execute(s);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL at " + PG_URL + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (schema != null) {
                execute("DROP SCHEMA " + schema + " CASCADE");
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    // =========================================================================================
    // Cortex
    // =========================================================================================

    @State(Scope.Benchmark)
    public static class CortexState {
        /** Where the store keeps its tables. */
        @Param({"h2", "postgres"})
        public String database;

        /** Engines sharing the database. */
        @Param({"1", "3"})
        public int engines;

        /** Threads submitting at once. */
        @Param({"1", "16"})
        public int submitters;

        final Done done = new Done();
        final JobSpec spec = JobSpec.builder().image("bench/noop:1").build();
        final List<Cortex> cortexes = new ArrayList<>();
        Database db;
        Submitters calls;

        @Setup(Level.Trial)
        public void setUp() {
            db = new Database(database);
            calls = new Submitters(submitters);
            // one provider backend for all engines, as one remote backend is: any engine may poll any job; each engine
            // its own client of it, as each replica has, so a job's changes are pushed to the engine that submitted it
            InMemoryProvider provider = InMemoryProvider.builder("mem").retainedFinished(BATCH * 4).build();
            for (int i = 0; i < engines; i++) {
                JdbcJobStore.Builder store = db.store().poolName("bench-" + i);
                if (engines > 1 && database.equals("h2")) {
                    store.shared(true);
                }
                cortexes.add(Cortex.builder()
                        .store(store.build())
                        .provider(i == 0 ? provider : provider.newClient())
                        .listener(this::onEvent)
                        .build());
            }
        }

        private void onEvent(CortexEvent e) {
            CortexEvent.JobChange c = e.job();
            if (c != null) {
                JobEvent ev = c.event();
                if (ev.isTransition() && ev.to() == JobState.SUCCEEDED) {
                    done.completed();
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            calls.close();
            cortexes.forEach(Cortex::close);
            cortexes.clear();
            db.close();
        }

        void batch() {
            long until = done.expect(BATCH);
            calls.run(BATCH, i -> cortexes.get(i % engines).submit(spec));
            done.await(until);
        }
    }

    /** Cortex on a durable store. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void cortex(CortexState s) {
        s.batch();
    }

    // =========================================================================================
    // JobRunr
    // =========================================================================================

    /** The no-op JobRunr job: a static method, as JobRunr analyses job lambdas. */
    public static final class JobRunrNoop {
        static final Done DONE = new Done();

        private JobRunrNoop() {}

        /** Counts itself done. */
        public static void run() {
            DONE.completed();
        }
    }

    @State(Scope.Benchmark)
    public static class JobRunrState {
        /** Background job servers sharing the database. */
        @Param({"1", "3"})
        public int engines;

        /** Threads submitting at once. */
        @Param({"1", "16"})
        public int submitters;

        Database db;
        Submitters calls;
        HikariDataSource pool;
        JobScheduler scheduler;
        final List<BackgroundJobServer> servers = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() {
            db = new Database("postgres");
            calls = new Submitters(submitters);
            pool = db.pool(10 + 10 * engines + submitters);
            JacksonJsonMapper json = new JacksonJsonMapper();
            PostgresStorageProvider storage = new PostgresStorageProvider(pool);
            storage.setJobMapper(new JobMapper(json));
            JobActivator activator = new JobActivator() {
                @Override
                public <T> T activateJob(Class<T> type) {
                    return null; // only static methods run
                }
            };
            for (int i = 0; i < engines; i++) {
                BackgroundJobServer server = new BackgroundJobServer(storage, json, activator,
                        BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                                .andName("bench-" + i)
                                .andPollInterval(Duration.ofSeconds(5))
                                .andWorkerCount(16)
                                .andDeleteSucceededJobsAfter(Duration.ofSeconds(10))
                                .andCarbonAwareJobProcessingConfiguration(
                                        CarbonAwareJobProcessingConfiguration.usingDisabledCarbonAwareJobProcessingConfiguration()));
                server.start();
                servers.add(server);
            }
            scheduler = new JobScheduler(storage);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            calls.close();
            servers.forEach(BackgroundJobServer::stop);
            servers.clear();
            pool.close();
            db.close();
        }

        void batch() {
            long until = JobRunrNoop.DONE.expect(BATCH);
            calls.run(BATCH, i -> scheduler.enqueue(JobRunrNoop::run));
            JobRunrNoop.DONE.await(until);
        }
    }

    /** JobRunr on the same PostgreSQL. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void jobrunr(JobRunrState s) {
        s.batch();
    }

    // =========================================================================================
    // db-scheduler
    // =========================================================================================

    @State(Scope.Benchmark)
    public static class DbSchedulerState {
        /** Schedulers sharing the table. */
        @Param({"1", "3"})
        public int engines;

        /** Threads submitting at once. */
        @Param({"1", "16"})
        public int submitters;

        final Done done = new Done();
        final AtomicLong next = new AtomicLong();
        Database db;
        Submitters calls;
        HikariDataSource pool;
        OneTimeTask<Void> task;
        final List<Scheduler> schedulers = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() {
            db = new Database("postgres");
            Database.execute("CREATE TABLE " + db.schema + ".scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL, "
                    + "task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT, "
                    + "last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH TIME ZONE, consecutive_failures INT, "
                    + "last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL, priority SMALLINT, "
                    + "PRIMARY KEY (task_name, task_instance))",
                    "CREATE INDEX execution_time_idx ON " + db.schema + ".scheduled_tasks (execution_time)",
                    "CREATE INDEX last_heartbeat_idx ON " + db.schema + ".scheduled_tasks (last_heartbeat)",
                    "CREATE INDEX priority_execution_time_idx ON " + db.schema + ".scheduled_tasks (priority DESC, execution_time ASC)");
            calls = new Submitters(submitters);
            pool = db.pool(10 + 10 * engines + submitters);
            task = Tasks.oneTime("noop").execute((instance, context) -> done.completed());
            for (int i = 0; i < engines; i++) {
                Scheduler s = Scheduler.create(pool, task).threads(16).pollingInterval(Duration.ofMillis(100))
                        .enableImmediateExecution().build();
                s.start();
                schedulers.add(s);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            calls.close();
            schedulers.forEach(Scheduler::stop);
            schedulers.clear();
            pool.close();
            db.close();
        }

        void batch() {
            long until = done.expect(BATCH);
            Instant now = Instant.now();
            calls.run(BATCH, i -> schedulers.get(i % engines).schedule(task.instance("j" + next.incrementAndGet()), now));
            done.await(until);
        }
    }

    /** db-scheduler on the same PostgreSQL. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void dbscheduler(DbSchedulerState s) {
        s.batch();
    }

    /**
     * A quick run of this class's benchmarks: one fork, one warm-up iteration, three measured.
     *
     * @param args an optional regular expression selecting benchmarks, e.g. {@code cortex}
     * @throws RunnerException when JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(StoreBenchmark.class.getSimpleName() + "." + (args.length > 0 ? args[0] : ""))
                .build()).run();
    }
}
