package io.cortex.core.event;

import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.util.Preconditions;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened in the engine, as listeners and webhooks receive it. Exactly one of
 * {@link #job()} and {@link #provider()} is present.
 *
 * <p>A value: two events are equal when their id, type, timestamp, job change and provider change
 * are. The id of a job event is written only when first asked for (most listeners never ask).
 */
public final class CortexEvent {
    private final String type;
    private final Instant timestamp;
    private final JobChange job;
    private final ProviderChange provider;
    /** Null until first asked for, for job events made by {@link #of(Job, JobEvent)}; racy but idempotent. */
    private String id;

    /**
     * An event with all its parts.
     *
     * @param id stable and unique: the same event keeps its id when delivered again (use it to deduplicate)
     * @param type one of {@link EventTypes}
     * @param timestamp when it happened
     * @param job for job events: the job's snapshot right after the change, and the history entry
     * @param provider for provider events: the change
     * @throws NullPointerException when id, type or timestamp is null
     * @throws IllegalArgumentException when neither or both of job and provider are given
     */
    public CortexEvent(String id, String type, Instant timestamp, JobChange job, ProviderChange provider) {
        this(type, timestamp, job, provider);
        this.id = Preconditions.notNull(id, "id");
    }

    private CortexEvent(String type, Instant timestamp, JobChange job, ProviderChange provider) {
        this.type = Preconditions.notNull(type, "type");
        this.timestamp = Preconditions.notNull(timestamp, "timestamp");
        Preconditions.argument((job == null) != (provider == null), "exactly one of job and provider must be given");
        this.job = job;
        this.provider = provider;
    }

    /** A job's change: the snapshot after it and the history entry that records it. */
    public record JobChange(Job job, JobEvent event) {}

    /** An event for a job change. Its id is {@code evt_<jobId>_<version>}: stable across redeliveries. */
    public static CortexEvent of(Job job, JobEvent event) {
        String type = event.isTransition() ? EventTypes.JOB_STATUS_CHANGED : EventTypes.JOB_UPDATED;
        return new CortexEvent(type, event.timestamp(), new JobChange(job, event), null);
    }

    /** An event for a provider change. */
    public static CortexEvent of(String id, String type, ProviderChange change) {
        return new CortexEvent(id, type, change.timestamp(), null, change);
    }

    /** Stable and unique: the same event keeps its id when delivered again (use it to deduplicate). */
    public String id() {
        String s = id;
        if (s == null) {
            String jobId = job.job().id().value();
            s = new StringBuilder(jobId.length() + 8).append("evt_").append(jobId, 4, jobId.length())
                    .append('_').append(job.event().version()).toString();
            id = s;
        }
        return s;
    }

    /** One of {@link EventTypes}. */
    public String type() {
        return type;
    }

    /** When it happened. */
    public Instant timestamp() {
        return timestamp;
    }

    /** For job events: the job's snapshot right after the change, and the history entry; else null. */
    public JobChange job() {
        return job;
    }

    /** For provider events: the change; else null. */
    public ProviderChange provider() {
        return provider;
    }

    /** The job concerned, if a job event. */
    public Optional<JobId> jobId() {
        return job == null ? Optional.empty() : Optional.of(job.job().id());
    }

    /** The provider concerned: the provider of a provider event, or the job event's provider. */
    public Optional<ProviderId> providerId() {
        return provider != null ? Optional.of(provider.provider()) : job.event().providerId();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof CortexEvent e && e.id().equals(id()) && e.type.equals(type)
                && e.timestamp.equals(timestamp) && Objects.equals(e.job, job) && Objects.equals(e.provider, provider));
    }

    @Override
    public int hashCode() {
        return Objects.hash(id(), type, timestamp, job, provider);
    }

    @Override
    public String toString() {
        return "CortexEvent[id=" + id() + ", type=" + type + ", timestamp=" + timestamp + ", job=" + job + ", provider="
                + provider + "]";
    }
}
