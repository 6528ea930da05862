package io.cortex.core.job;

import io.cortex.core.util.Preconditions;
import io.cortex.core.provider.ProviderId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a job's append-only history: what happened, why, where and when.
 *
 * @param jobId the job
 * @param version the job's version after this event
 * @param type what happened
 * @param from the state before (null for {@link Type#SUBMITTED})
 * @param to the state after
 * @param reason why, as a stable code
 * @param message human words
 * @param provider where, when a provider is involved, else null
 * @param attempt the attempt number, 0 when none
 * @param timestamp when
 * @param placement why each provider was or was not chosen, for placement and failure events; else empty
 */
public record JobEvent(JobId jobId, long version, Type type, JobState from, JobState to, ReasonCode reason,
        String message, ProviderId provider, int attempt, Instant timestamp, List<PlacementNote> placement) {

    /** What happened. */
    public enum Type {
        /** The job entered the engine. */
        SUBMITTED,
        /** The job moved from one state to another. */
        STATE_CHANGED,
        /** The provider returned its handle for the attempt. */
        PROVIDER_ACCEPTED,
        /** The job's resources changed while pending. */
        RESOURCES_UPDATED,
        /** Placement found no provider now and the job waits. */
        WAITING
    }

    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a required field is null
     */
    public JobEvent {
        Preconditions.notNull(jobId, "jobId");
        Preconditions.notNull(type, "type");
        Preconditions.notNull(to, "to");
        Preconditions.notNull(reason, "reason");
        Preconditions.notNull(message, "message");
        Preconditions.notNull(timestamp, "timestamp");
        placement = placement == null ? List.of() : List.copyOf(placement);
    }

    /** The provider involved, if any. */
    public Optional<ProviderId> providerId() {
        return Optional.ofNullable(provider);
    }

    /** True when the event changed the job's state. */
    public boolean isTransition() {
        return from != null && from != to;
    }
}
