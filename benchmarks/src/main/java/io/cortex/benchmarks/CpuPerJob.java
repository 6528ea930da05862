package io.cortex.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CPU time per job through the whole lifecycle, for each system of {@link LifecycleBenchmark}, one
 * submitting thread: the process CPU time (every thread: submitter, the system's own threads, GC,
 * JIT) spent per job over a measured window, after a warm-up window. Unlike wall-clock jobs/s it
 * barely moves when other processes share the cores, so it is the figure to compare on a busy
 * machine; {@code 1e9 / ns per job} is the throughput one fully used core would give.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.cortex.benchmarks.CpuPerJob [seconds] [system...]}
 * (default 10 s of warm-up and 10 s measured per system; JobRunr gets at least one batch each;
 * naming systems, e.g. {@code cortex}, runs only those).
 *
 * <p>Cortex is measured twice: without a meter registry, and recording its meters into a Prometheus
 * registry ({@code cortex+prometheus}), the cost of metrics.
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
        Set<String> only = args.length > 1 ? Set.of(Arrays.copyOfRange(args, 1, args.length)) : Set.of();
        System.out.printf(Locale.ROOT, "%-18s %14s %14s %18s %14s %16s%n", "system", "jobs/s (wall)", "CPU ns/job",
                "jobs per CPU-second", "bytes/job", "submitter ns/job");

        if (only.isEmpty() || only.contains("cortex")) {
            LifecycleBenchmark.CortexState cortex = new LifecycleBenchmark.CortexState();
            cortex.init(1);
            try {
                report("cortex", () -> cortex.batch(0), seconds);
            } finally {
                cortex.tearDown();
            }
        }

        if (only.isEmpty() || only.contains("cortex+prometheus")) {
            LifecycleBenchmark.CortexState metered = new LifecycleBenchmark.CortexState();
            metered.meters = "prometheus";
            metered.init(1);
            try {
                report("cortex+prometheus", () -> metered.batch(0), seconds);
            } finally {
                metered.tearDown();
            }
        }

        if (only.isEmpty() || only.contains("quartz")) {
            LifecycleBenchmark.QuartzState quartz = new LifecycleBenchmark.QuartzState();
            quartz.setUp();
            try {
                report("quartz", () -> quartz.batch(0), seconds);
            } finally {
                quartz.tearDown();
            }
        }

        if (only.isEmpty() || only.contains("jobrunr")) {
            LifecycleBenchmark.JobRunrState jobrunr = new LifecycleBenchmark.JobRunrState();
            jobrunr.setUp();
            try {
                report("jobrunr", () -> jobrunr.batch(0), seconds);
            } finally {
                jobrunr.tearDown();
            }
        }

        if (only.isEmpty() || only.contains("executor")) {
            LifecycleBenchmark.ExecutorState executor = new LifecycleBenchmark.ExecutorState();
            executor.setUp();
            try {
                report("executor", () -> executor.batch(0), seconds);
            } finally {
                executor.tearDown();
            }
        }
        System.exit(0);
    }

    private static void report(String name, Batch batch, long seconds) throws Exception {
        window(batch, seconds);
        long[] m = window(batch, seconds);
        double jobs = (double) m[0] * LifecycleBenchmark.BATCH;
        double nsPerJob = m[1] / jobs;
        System.out.printf(Locale.ROOT, "%-18s %,14.0f %,14.0f %,18.0f %,14.0f %,16.0f%n", name, jobs / (m[2] / 1e9), nsPerJob,
                1e9 / nsPerJob, m[3] / jobs, m[4] / jobs);
    }

    /**
     * Runs batches for {@code seconds} (at least one): {batches, process CPU ns, wall ns, bytes allocated by the threads
     * alive at both ends of the window, CPU ns of the submitting thread}.
     */
    static long[] window(Batch batch, long seconds) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        Map<Long, Long> alloc0 = allocated();
        long own0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        long n = 0;
        do {
            batch.run();
            n++;
        } while (System.nanoTime() < end);
        long cpu = os.getProcessCpuTime() - cpu0;
        long own = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - own0;
        long wall = System.nanoTime() - t0;
        long bytes = 0;
        for (Map.Entry<Long, Long> e : allocated().entrySet()) {
            Long before = alloc0.get(e.getKey());
            bytes += e.getValue() - (before == null ? 0 : before);
        }
        return new long[] {n, cpu, wall, bytes, own};
    }

    /** Bytes allocated so far per live thread id. */
    private static Map<Long, Long> allocated() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                out.put(ids[i], bytes[i]);
            }
        }
        return out;
    }
}
