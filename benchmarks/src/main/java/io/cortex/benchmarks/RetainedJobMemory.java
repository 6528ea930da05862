package io.cortex.benchmarks;

import io.cortex.core.Cortex;
import io.cortex.core.EngineMetrics;
import io.cortex.core.job.JobSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Memory per retained finished job: the heap a SUCCEEDED job costs while the in-memory store keeps
 * it (the job snapshot, its attempt, its four history events and the store's bookkeeping).
 *
 * <p>Method: one engine as in {@link LifecycleBenchmark} (default background threads, zero-delay
 * in-memory provider remembering a fixed 1,024 finished runs, which cancels out) with retention
 * {@code N2}; run
 * {@code N1} jobs, wait until all succeeded and every event was delivered, force GC, read used heap;
 * run {@code N2 - N1} more, same again. Bytes per job = heap delta / (N2 - N1): a differential, so
 * the engine's fixed cost (threads, rings, class data) cancels out. A warm-up engine runs first
 * so that class initialisation and JIT do not land in the delta.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.cortex.benchmarks.RetainedJobMemory [N1 N2]}
 * (defaults 20,000 and 120,000).
 */
public final class RetainedJobMemory {
    private RetainedJobMemory() {}

    public static void main(String[] args) throws Exception {
        int n1 = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int n2 = args.length > 1 ? Integer.parseInt(args[1]) : 120_000;
        if (n2 <= n1 || n1 < 1) {
            throw new IllegalArgumentException("need 1 <= N1 < N2, got " + n1 + " " + n2);
        }
        LifecycleBenchmark.Lane[] lanes = LifecycleBenchmark.lanes();
        // warm-up: classes loaded, code compiled, then thrown away
        try (Cortex warm = LifecycleBenchmark.newEngine(10_000, lanes, null)) {
            run(warm, lanes[0], 50_000);
        }
        lanes = LifecycleBenchmark.lanes();
        try (Cortex cortex = LifecycleBenchmark.newEngine(n2, lanes, null)) {
            run(cortex, lanes[0], n1);
            long used1 = usedAfterGc();
            run(cortex, lanes[0], n2 - n1);
            long used2 = usedAfterGc();
            EngineMetrics m = cortex.metrics();
            if (m.succeeded() != n2 || m.eventsWaiting() != 0) {
                throw new IllegalStateException("expected " + n2 + " succeeded and no event waiting: " + m);
            }
            long retained = m.jobsByState().values().stream().mapToLong(Long::longValue).sum();
            double perJob = (double) (used2 - used1) / (n2 - n1);
            System.out.printf(Locale.ROOT, "retained finished jobs: %,d (retention %,d)%n", retained, n2);
            System.out.printf(Locale.ROOT, "used heap after GC: %,d B with %,d jobs, %,d B with %,d jobs%n", used1, n1, used2, n2);
            System.out.printf(Locale.ROOT, "bytes per retained finished job: %.0f%n", perJob);
        }
    }

    private static void run(Cortex cortex, LifecycleBenchmark.Lane lane, int count) {
        JobSpec spec = lane.spec;
        long until = lane.done.expect(count);
        for (int i = 0; i < count; i++) {
            cortex.submit(spec);
        }
        lane.done.await(until, LifecycleBenchmark.STALL_MILLIS);
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
