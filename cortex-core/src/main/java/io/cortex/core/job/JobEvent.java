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
 * @param message human words; null only for the engine's standard words (placed, started, succeeded), which
 *     {@link #message()} then writes from the other fields
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
        Preconditions.notNull(timestamp, "timestamp");
        if (message == null) {
            // the engine's own placements, starts and successes leave their words to be written when read
            if (!isStandard(type, reason, provider)) {
                Preconditions.notNull(message, "message");
            }
        } else if (isStandard(type, reason, provider) && message.equals(standardMessage(type, reason, provider, attempt))) {
            message = null; // the same words, kept as the engine keeps them (so equal events are equal)
        }
        placement = placement == null ? List.of() : List.copyOf(placement);
    }

    /** Human words; for the engine's placements, starts and successes written now from the other fields. */
    @Override
    public String message() {
        return message != null ? message : standardMessage(type, reason, provider, attempt);
    }

    private static boolean isStandard(Type type, ReasonCode reason, ProviderId provider) {
        return type == Type.STATE_CHANGED && provider != null
                && (reason == ReasonCode.PLACED || reason == ReasonCode.STARTED || reason == ReasonCode.COMPLETED);
    }

    /**
     * The words of a change the engine makes millions of times (placed, started, succeeded), built only
     * when read: a history entry and a job snapshot keep no string of their own for them. Null when
     * the change has no standard words.
     */
    static String standardMessage(Type type, ReasonCode reason, ProviderId provider, int attempt) {
        if (!isStandard(type, reason, provider)) {
            return null;
        }
        return switch (reason) {
            case PLACED -> "placed on " + provider + " (attempt " + attempt + ")";
            case STARTED -> "started on " + provider;
            default -> "succeeded on " + provider;
        };
    }

    @Override
    public String toString() {
        return "JobEvent[jobId=" + jobId + ", version=" + version + ", type=" + type + ", from=" + from + ", to=" + to
                + ", reason=" + reason + ", message=" + message() + ", provider=" + provider + ", attempt=" + attempt
                + ", timestamp=" + timestamp + ", placement=" + placement + "]";
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
