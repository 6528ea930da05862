package io.cortex.benchmarks.store;

import io.cortex.core.Cortex;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.store.jdbc.JdbcJobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * How big an embedded H2 file gets: {@code N} no-op jobs run end to end through an engine on a
 * fresh file (the store's retention keeping 1,000 finished jobs), then the file size is read while
 * the store is open, after it closed, and after it closed with {@code compactOnClose}. One line per
 * H2 setting compared:
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar io.cortex.benchmarks.store.H2FileGrowth [jobs] [threads]}</pre>
 */
public final class H2FileGrowth {
    private H2FileGrowth() {}

    /**
     * Runs the comparison.
     *
     * @param args jobs (default 20,000) and submitting threads (default 4)
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        System.out.printf("%,d jobs from %d threads, retention 1,000 finished jobs%n", jobs, threads);
        System.out.printf("%-38s %10s %12s %12s %12s%n", "H2 setting", "jobs/s", "open (MB)", "closed (MB)", "compacted");
        for (String setting : List.of("WRITE_DELAY=0;RETENTION_TIME=0", "(store default)", "RETENTION_TIME=45000")) {
            run(setting, jobs, threads);
        }
    }

    private static void run(String setting, int jobs, int threads) throws Exception {
        Path dir = Files.createTempDirectory("cortex-h2-growth");
        Path file = dir.resolve("cortex");
        Path mv = dir.resolve("cortex.mv.db");
        try {
            String url = "jdbc:h2:file:" + file.toAbsolutePath() + (setting.startsWith("(") ? "" : ";" + setting);
            JdbcJobStore store = JdbcJobStore.builder().jdbcUrl(url).retention(1_000, Duration.ofDays(1))
                    .retentionInterval(Duration.ofSeconds(1)).compactOnClose(false).build();
            long[] open = new long[1];
            double rate = drive(store, jobs, threads, () -> {
                store.purgeFinished();
                open[0] = size(mv);
            });
            long closed = Files.size(mv);
            try (JdbcJobStore again = JdbcJobStore.builder().jdbcUrl(url).compactOnClose(true).build()) {
                again.describe();
            }
            long compacted = Files.size(mv);
            System.out.printf("%-38s %,10.0f %,12.1f %,12.1f %,12.1f%n", setting, rate, mb(open[0]), mb(closed), mb(compacted));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** Runs the jobs end to end, then {@code beforeClose}; closes the engine and its store; returns jobs per second. */
    private static double drive(JdbcJobStore store, int jobs, int threads, Runnable beforeClose) throws Exception {
        AtomicLong done = new AtomicLong();
        InMemoryProvider provider = InMemoryProvider.builder("mem").retainedFinished(1_024).build();
        JobSpec spec = JobSpec.builder().image("bench/noop:1").build();
        try (Cortex cortex = Cortex.builder().store(store).provider(provider).listener((CortexEvent e) -> {
            CortexEvent.JobChange c = e.job();
            if (c != null && c.event().isTransition() && c.event().to() == JobState.SUCCEEDED) {
                done.incrementAndGet();
            }
        }).build()) {
            long start = System.nanoTime();
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                Thread th = new Thread(() -> {
                    for (int i = first; i < jobs; i += threads) {
                        cortex.submit(spec);
                    }
                });
                th.start();
                submitters.add(th);
            }
            for (Thread th : submitters) {
                th.join();
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (done.get() < jobs) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + done.get() + " of " + jobs + " jobs finished");
                }
                Thread.onSpinWait();
                Thread.yield();
            }
            double rate = jobs / ((System.nanoTime() - start) / 1e9);
            beforeClose.run();
            return rate;
        }
    }
}
