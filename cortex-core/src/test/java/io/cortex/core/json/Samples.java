package io.cortex.core.json;

import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Model values used across the JSON tests. */
final class Samples {
    private Samples() {}

    static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");
    static final ProviderId AKASH = ProviderId.of("akash");
    static final ProviderId LOCAL = ProviderId.of("local-1");
    static final JobId JOB_ID = JobId.of("job_01hx3k9q2m4f");

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A spec with every field set away from its default. */
    static JobSpec fullSpec() {
        return JobSpec.builder()
                .image("ghcr.io/acme/train:1.2")
                .command("python", "train.py", "--epochs", "3")
                .env(Map.of("EPOCHS", "3"))
                .env("API_TOKEN", "s3cr3t")
                .resources(new Resources(2000, io.cortex.core.job.Quantity.parse("1.5Gi"),
                        io.cortex.core.job.Quantity.gibibytes(10), 1))
                .maxRunTime(Duration.ofMinutes(90))
                .maxPrice(new BigDecimal("2.50"))
                .label("team", "ml")
                .label("acme.io/run", "42")
                .allowProviders("akash", "local-1")
                .denyProviders("flaky")
                .preferProviders("local-1", "akash")
                .maxAttempts(5)
                .rerunOnProviderLoss(false)
                .build();
    }

    static List<PlacementNote> notes() {
        return List.of(new PlacementNote(AKASH, ReasonCode.PLACED, "cheapest"),
                new PlacementNote(LOCAL, ReasonCode.RESOURCES_EXCEED_CAPABILITIES, "memory 1.5Gi exceeds maxMemory 1Gi"));
    }

    /** A job placed twice: one attempt requeued after the provider went offline, one running now. */
    static Job runningJob() {
        Job job = Job.create(JOB_ID, fullSpec(), at(0)).job();
        job = job.assign(LOCAL, at(1), notes()).job();
        job = job.requeue(ReasonCode.PROVIDER_OFFLINE, "local-1 went offline", at(2), new BigDecimal("0.10"), null).job();
        job = job.assign(AKASH, at(3), notes()).job();
        job = job.accepted(ProviderJobRef.of("lease-7"), at(4)).job();
        return job.start(at(5), null).job();
    }

    /** A job that failed and was resubmitted, pinned to a provider. */
    static Job resubmittedJob() {
        Job job = Job.create(JOB_ID, JobSpec.builder().image("busybox").build(), at(0)).job();
        job = job.assign(AKASH, at(1), List.of()).job();
        job = job.fail(ReasonCode.IMAGE_NOT_FOUND, "pull failed", at(2), new BigDecimal("0.0125"), List.of()).job();
        return job.resubmit(LOCAL, at(3)).job();
    }
}
