package io.cortex.provider.inmemory;

import io.cortex.core.Cortex;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import java.time.Clock;
import java.time.Duration;

/**
 * Runs a million zero-delay jobs through one engine with bounded retention and prints
 * {@code succeeded=<n> stored=<m>}. Launched in a small-heap child JVM by {@link RetentionTest}: it
 * proves that a long-running engine holds only what retention allows.
 */
public final class MillionShortJobs {
    private MillionShortJobs() {}

    public static void main(String[] args) {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Clock clock = Clock.systemUTC();
        InMemoryProvider a = InMemoryProvider.builder("a").clock(clock).retainedFinished(1_000).build();
        InMemoryProvider b = InMemoryProvider.builder("b").clock(clock).retainedFinished(1_000).build();
        long succeeded = 0;
        try (Cortex cortex = Cortex.builder().clock(clock).manual().provider(a).provider(b)
                .retention(10_000, Duration.ofHours(1)).build()) {
            for (int i = 0; i < jobs; i++) {
                JobSpec spec = JobSpec.builder().image("acme/short:" + (i % 16)).label("n", Integer.toString(i % 100)).build();
                Job job = cortex.submit(spec);
                if (job.state() == JobState.SUCCEEDED) {
                    succeeded++;
                }
            }
            System.out.println("succeeded=" + succeeded + " stored=" + cortex.jobs(io.cortex.core.store.JobQuery.all()).total()
                    + " metrics=" + cortex.metrics().succeeded());
        }
    }
}
