package io.cortex.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What recording the engine's meters costs per job: the {@link LifecycleBenchmark} Cortex workload (one
 * submitting thread, 10,000-job batches, SUCCEEDED delivered to a listener) without a meter registry and
 * with a {@code PrometheusMeterRegistry}, in alternating windows, so that load from other processes
 * drifting over the run hits both alike. Reports process CPU time per job for each window and the
 * median of each side; CPU time, unlike wall-clock jobs/s, barely moves when the cores are shared.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.cortex.benchmarks.MetersCost [rounds] [seconds]}
 * (default 5 rounds of 5 s per side, after 10 s of warm-up per side).
 */
public final class MetersCost {
    private MetersCost() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 5;
        LifecycleBenchmark.CortexState bare = state("none");
        LifecycleBenchmark.CortexState metered = state("prometheus");
        try {
            CpuPerJob.window(() -> bare.batch(0), 10);
            CpuPerJob.window(() -> metered.batch(0), 10);
            List<Double> a = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            System.out.printf(Locale.ROOT, "%-6s %22s %22s%n", "round", "no registry (ns/job)", "prometheus (ns/job)");
            for (int r = 1; r <= rounds; r++) {
                boolean bareFirst = r % 2 == 1;
                double x = bareFirst ? nsPerJob(bare, seconds) : 0;
                double y = nsPerJob(metered, seconds);
                if (!bareFirst) {
                    x = nsPerJob(bare, seconds);
                }
                a.add(x);
                b.add(y);
                System.out.printf(Locale.ROOT, "%-6d %,22.0f %,22.0f%n", r, x, y);
            }
            double ma = median(a);
            double mb = median(b);
            System.out.printf(Locale.ROOT, "%-6s %,22.0f %,22.0f   %+.1f%% CPU per job with the registry%n", "median", ma, mb,
                    (mb / ma - 1) * 100);
        } finally {
            bare.tearDown();
            metered.tearDown();
        }
        System.exit(0);
    }

    private static LifecycleBenchmark.CortexState state(String meters) {
        LifecycleBenchmark.CortexState s = new LifecycleBenchmark.CortexState();
        s.meters = meters;
        s.init(1);
        return s;
    }

    private static double nsPerJob(LifecycleBenchmark.CortexState s, long seconds) throws Exception {
        long[] m = CpuPerJob.window(() -> s.batch(0), seconds);
        return m[1] / ((double) m[0] * LifecycleBenchmark.BATCH);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
