package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.JobId;

/**
 * Which attempt of which job a provider is asked to run. A provider passes it back when it reports
 * status through {@link ProviderContext#updates()}, so the engine matches a report to its attempt.
 *
 * @param jobId the job
 * @param number the attempt number, from 1
 */
public record AttemptRef(JobId jobId, int number) {
    /**
     * Validates.
     *
     * @throws NullPointerException when {@code jobId} is null
     * @throws IllegalArgumentException when {@code number} is less than 1
     */
    public AttemptRef {
        Preconditions.notNull(jobId, "jobId");
        Preconditions.argument(number >= 1, "attempt number must be at least 1, got %d", number);
    }

    @Override
    public String toString() {
        return jobId + "#" + number;
    }
}
