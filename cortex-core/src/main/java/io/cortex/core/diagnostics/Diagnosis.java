package io.cortex.core.diagnostics;

import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to "why is this job pending / why did it fail": a one-line summary and the findings,
 * most severe first.
 *
 * @param jobId the job
 * @param state its state when diagnosed
 * @param summary one line
 * @param findings what the checks found
 * @param diagnosedAt when
 */
public record Diagnosis(JobId jobId, JobState state, String summary, List<Finding> findings, Instant diagnosedAt) {
    /** Copies the findings. */
    public Diagnosis {
        findings = List.copyOf(findings);
    }

    /** True when a finding has this reason. */
    public boolean has(ReasonCode reason) {
        return findings.stream().anyMatch(f -> f.reason() == reason);
    }

    /** The most severe finding, if any. */
    public Optional<Finding> primary() {
        return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0));
    }
}
