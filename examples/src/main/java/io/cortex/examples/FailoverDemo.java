package io.cortex.examples;

import io.cortex.core.Cortex;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.provider.ProviderId;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.provider.inmemory.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The main demo: an engine with two in-memory providers, a handful of jobs, one provider going
 * offline while a job sits on it. Every state change is printed with its reason code; the stranded
 * job fails over to the other provider and succeeds.
 *
 * <p>Run: {@code mvn -q -pl examples -am install -DskipTests && mvn -q -pl examples exec:java}
 */
public final class FailoverDemo {
    private FailoverDemo() {}

    /** Runs the demo; exits non-zero if a job does not end as expected. */
    public static void main(String[] args) throws Exception {
        Instant t0 = Instant.now();
        // "alpha" is cheap but slow to start; "beta" costs more and runs at once.
        InMemoryProvider alpha = InMemoryProvider.builder("alpha").price("0.10", "USDC").wallet("50")
                .startAfter(Duration.ofSeconds(2)).runFor(Duration.ofMillis(300)).build();
        InMemoryProvider beta = InMemoryProvider.builder("beta").price("0.25", "USDC").wallet("50")
                .runFor(Duration.ofMillis(300)).build();
        Outcome broken = Outcome.exit(3, "report template missing").printing("loading templates");
        alpha.onImage("acme/legacy-report", broken);
        beta.onImage("acme/legacy-report", broken);

        CountDownLatch finished = new CountDownLatch(5);
        try (Cortex cortex = Cortex.builder()
                .provider(alpha).provider(beta)
                .healthCheckInterval(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(100))
                .tickInterval(Duration.ofMillis(50))
                .listener(e -> print(t0, e, finished))
                .build()) {

            System.out.println("Providers: " + cortex.providers().stream()
                    .map(p -> p.id() + " " + p.status().wireName()).toList());
            System.out.println();

            Job train = cortex.submit(JobSpec.builder().image("ghcr.io/acme/train:1.4")
                    .resources(2000, "4Gi", "20Gi").label("team", "ml").build());
            cortex.submit(JobSpec.builder().image("acme/etl:2024.11").resources(500, "512Mi", "1Gi").build());
            cortex.submit(JobSpec.builder().image("acme/legacy-report:7").maxAttempts(1).build());
            cortex.submit(JobSpec.builder().image("acme/render:3").preferProviders("beta").build());
            Job huge = cortex.submit(JobSpec.builder().image("acme/simulate:1").resources(64_000, "2Ti", "10Gi").build());

            // alpha goes offline while "train" waits there to start (alpha takes 2 s to start a job)
            System.out.println("\n>>> provider alpha goes offline while " + train.id() + " is " + cortex.job(train.id()).state() + " there\n");
            alpha.goOffline();

            if (!finished.await(20, TimeUnit.SECONDS)) {
                System.out.println("not every job finished in time");
                System.exit(1);
            }
            cortex.drainEvents();
            Job after = cortex.job(train.id());
            System.out.println();
            System.out.println("Job " + after.id() + " ended " + after.state() + " after " + after.attempt()
                    + " attempts: " + after.attempts().stream().map(a -> a.provider() + "=" + a.outcome()).toList());
            System.out.println("Why did " + huge.id() + " fail? " + cortex.diagnose(huge.id()).summary());
            cortex.diagnose(huge.id()).findings().forEach(f -> System.out.println("   - " + f.reason() + ": " + f.message()));
            System.out.println("Provider alpha is " + cortex.provider(ProviderId.of("alpha")).status().wireName()
                    + "; metrics: " + cortex.metrics().jobsByState());
            if (after.state() != JobState.SUCCEEDED || after.attempt() != 2) {
                System.exit(1);
            }
        }
    }

    private static void print(Instant t0, CortexEvent e, CountDownLatch finished) {
        String at = String.format("%6.2fs", Duration.between(t0, Instant.now()).toMillis() / 1000.0);
        if (e.provider() != null) {
            System.out.printf("%s  provider %-6s %-9s -> %-9s %-22s %s%n", at, e.provider().provider(),
                    e.provider().from().wireName(), e.provider().to().wireName(), e.provider().reason(), e.provider().message());
            return;
        }
        JobEvent je = e.job().event();
        if (!e.type().equals(EventTypes.JOB_STATUS_CHANGED) && je.type() != JobEvent.Type.SUBMITTED) {
            return;
        }
        System.out.printf("%s  %s %-9s -> %-9s %-30s %s%n", at, je.jobId(), je.from() == null ? "" : je.from().wireName(),
                je.to().wireName(), je.reason(), je.message());
        if (je.to().isFinished()) {
            finished.countDown();
        }
    }
}
