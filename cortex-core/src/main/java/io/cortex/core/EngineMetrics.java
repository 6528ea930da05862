package io.cortex.core;

import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of one engine since it started, and the jobs it holds now.
 *
 * @param at when the snapshot was taken
 * @param jobsByState stored jobs per state
 * @param submitted jobs submitted
 * @param succeeded jobs that succeeded
 * @param failed jobs that failed for good
 * @param cancelled jobs cancelled
 * @param placements placements made (one per attempt)
 * @param failovers attempts ended and moved on, by reason
 * @param eventsPublished events delivered to listeners
 * @param eventsWaiting events in the outbox not yet delivered
 */
public record EngineMetrics(Instant at, Map<JobState, Long> jobsByState, long submitted, long succeeded, long failed,
        long cancelled, long placements, Map<ReasonCode, Long> failovers, long eventsPublished, long eventsWaiting) {
    /** Copies the maps. */
    public EngineMetrics {
        jobsByState = jobsByState.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(jobsByState));
        failovers = failovers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(failovers));
    }
}
