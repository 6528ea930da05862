package io.cortex.core.job;

import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Test data builders for jobs: one place that knows how to get a job into each state. */
final class Jobs {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final JobId JOB_ID = JobId.of("job_fixture01");
    static final ProviderId ALPHA = ProviderId.of("alpha");
    static final ProviderId BETA = ProviderId.of("beta");
    static final ProviderJobRef REF = ProviderJobRef.of("lease-42");

    private Jobs() {}

    /** {@code seconds} after {@link #T0}. */
    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A valid spec builder with a little of everything set. */
    static JobSpec.Builder aSpecBuilder() {
        return JobSpec.builder()
                .image("ghcr.io/acme/train:1.2")
                .command("python", "train.py", "--epochs", "3")
                .env("MODE", "fast")
                .resources(1000, "1Gi", "10Gi")
                .label("team", "ml");
    }

    static JobSpec aSpec() {
        return aSpecBuilder().build();
    }

    /** A spec allowing {@code maxAttempts} attempts. */
    static JobSpec aSpecWithAttempts(int maxAttempts) {
        return aSpecBuilder().maxAttempts(maxAttempts).build();
    }

    static Job aPendingJob() {
        return aPendingJob(aSpec());
    }

    static Job aPendingJob(JobSpec spec) {
        return Job.create(JOB_ID, spec, T0).job();
    }

    /** PENDING, placed on {@link #ALPHA} (attempt 1). */
    static Job anAssignedJob() {
        return aPendingJob().assign(ALPHA, at(1), List.of()).job();
    }

    /** RUNNING on {@link #ALPHA} with {@link #REF}. */
    static Job aRunningJob() {
        return anAssignedJob().start(at(2), REF).job();
    }

    static Job aSucceededJob() {
        return aRunningJob().succeed(at(3), new BigDecimal("0.40")).job();
    }

    static Job aFailedJob() {
        return aRunningJob().fail(ReasonCode.JOB_FAILED, "exit code 1", at(3), null, List.of()).job();
    }

    static Job aCancelledJob() {
        return aRunningJob().cancel("cancelled by test", at(3)).job();
    }

    /** A job in {@code state}, reached through the verbs. A new state must be added here (no default). */
    static Job aJobIn(JobState state) {
        return switch (state) {
            case PENDING -> aPendingJob();
            case ASSIGNED -> anAssignedJob();
            case RUNNING -> aRunningJob();
            case SUCCEEDED -> aSucceededJob();
            case FAILED -> aFailedJob();
            case CANCELLED -> aCancelledJob();
        };
    }

    /** {@code job} placed on {@code provider} and then requeued for {@code reason}. */
    static Job assignedThenRequeued(Job job, ProviderId provider, ReasonCode reason) {
        Job assigned = job.assign(provider, at(10), List.of()).job();
        return assigned.requeue(reason, "requeued: " + reason, at(11), null, null).job();
    }
}
