package io.cortex.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * CPU time per job through the whole lifecycle, for each system of {@link LifecycleBenchmark}, one
 * submitting thread: the process CPU time (every thread: submitter, the system's own threads, GC,
 * JIT) spent per job over a measured window, after a warm-up window. Unlike wall-clock jobs/s it
 * barely moves when other processes share the cores, so it is the figure to compare on a busy
 * machine; {@code 1e9 / ns per job} is the throughput one fully used core would give.
 *
 * <p>Cortex is measured twice: without a meter registry, and recording its meters into a Prometheus
 * registry ({@code cortex+prometheus}), the cost of metrics.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.cortex.benchmarks.CpuPerJob [seconds]}
 * (default 10 s of warm-up and 10 s measured per system; JobRunr gets at least one batch each).
 */
public final class CpuPerJob {
    private CpuPerJob() {}

    /** One batch of {@link LifecycleBenchmark#BATCH} jobs, submitted and awaited. */
    @FunctionalInterface
    interface Batch {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        System.out.printf(Locale.ROOT, "%-18s %14s %14s %18s%n", "system", "jobs/s (wall)", "CPU ns/job", "jobs per CPU-second");

        LifecycleBenchmark.CortexState cortex = new LifecycleBenchmark.CortexState();
        cortex.init(1);
        try {
            report("cortex", () -> cortex.batch(0), seconds);
        } finally {
            cortex.tearDown();
        }

        LifecycleBenchmark.CortexState metered = new LifecycleBenchmark.CortexState();
        metered.meters = "prometheus";
        metered.init(1);
        try {
            report("cortex+prometheus", () -> metered.batch(0), seconds);
        } finally {
            metered.tearDown();
        }

        LifecycleBenchmark.QuartzState quartz = new LifecycleBenchmark.QuartzState();
        quartz.setUp();
        try {
            report("quartz", () -> quartz.batch(0), seconds);
        } finally {
            quartz.tearDown();
        }

        LifecycleBenchmark.JobRunrState jobrunr = new LifecycleBenchmark.JobRunrState();
        jobrunr.setUp();
        try {
            report("jobrunr", () -> jobrunr.batch(0), seconds);
        } finally {
            jobrunr.tearDown();
        }

        LifecycleBenchmark.ExecutorState executor = new LifecycleBenchmark.ExecutorState();
        executor.setUp();
        try {
            report("executor", () -> executor.batch(0), seconds);
        } finally {
            executor.tearDown();
        }
        System.exit(0);
    }

    private static void report(String name, Batch batch, long seconds) throws Exception {
        window(batch, seconds);
        long[] m = window(batch, seconds);
        double jobs = (double) m[0] * LifecycleBenchmark.BATCH;
        double nsPerJob = m[1] / jobs;
        System.out.printf(Locale.ROOT, "%-18s %,14.0f %,14.0f %,18.0f%n", name, jobs / (m[2] / 1e9), nsPerJob, 1e9 / nsPerJob);
    }

    /** Runs batches for {@code seconds} (at least one): {batches, process CPU ns, wall ns}. */
    static long[] window(Batch batch, long seconds) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        long n = 0;
        do {
            batch.run();
            n++;
        } while (System.nanoTime() < end);
        return new long[] {n, os.getProcessCpuTime() - cpu0, System.nanoTime() - t0};
    }
}
