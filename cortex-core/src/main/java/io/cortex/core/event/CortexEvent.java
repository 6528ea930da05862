package io.cortex.core.event;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.provider.ProviderId;
import java.time.Instant;
import java.util.Optional;

/**
 * Something that happened in the engine, as listeners and webhooks receive it. Exactly one of
 * {@link #job()} and {@link #provider()} is present.
 *
 * @param id stable and unique: the same event keeps its id when delivered again (use it to deduplicate)
 * @param type one of {@link EventTypes}
 * @param timestamp when it happened
 * @param job for job events: the job's snapshot right after the change, and the history entry
 * @param provider for provider events: the change
 */
public record CortexEvent(String id, String type, Instant timestamp, JobChange job, ProviderChange provider) {
    /**
     * Validates.
     *
     * @throws NullPointerException when id, type or timestamp is null
     * @throws IllegalArgumentException when neither or both of job and provider are given
     */
    public CortexEvent {
        Preconditions.notNull(id, "id");
        Preconditions.notNull(type, "type");
        Preconditions.notNull(timestamp, "timestamp");
        Preconditions.argument((job == null) != (provider == null), "exactly one of job and provider must be given");
    }

    /** A job's change: the snapshot after it and the history entry that records it. */
    public record JobChange(Job job, JobEvent event) {}

    /** An event for a job change. Its id is {@code evt_<jobId>_<version>}: stable across redeliveries. */
    public static CortexEvent of(Job job, JobEvent event) {
        String type = event.isTransition() ? EventTypes.JOB_STATUS_CHANGED : EventTypes.JOB_UPDATED;
        String jobId = job.id().value();
        String id = new StringBuilder(jobId.length() + 8).append("evt_").append(jobId, 4, jobId.length())
                .append('_').append(event.version()).toString();
        return new CortexEvent(id, type, event.timestamp(),
                new JobChange(job, event), null);
    }

    /** An event for a provider change. */
    public static CortexEvent of(String id, String type, ProviderChange change) {
        return new CortexEvent(id, type, change.timestamp(), null, change);
    }

    /** The job concerned, if a job event. */
    public Optional<JobId> jobId() {
        return job == null ? Optional.empty() : Optional.of(job.job().id());
    }

    /** The provider concerned: the provider of a provider event, or the job event's provider. */
    public Optional<ProviderId> providerId() {
        return provider != null ? Optional.of(provider.provider()) : job.event().providerId();
    }
}
