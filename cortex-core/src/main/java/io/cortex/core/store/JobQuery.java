package io.cortex.core.store;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.JobState;
import io.cortex.core.provider.ProviderId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which jobs to list: by state, by provider of the open attempt, by labels (all must match), with
 * paging. Results come newest first.
 *
 * @param states states to include; empty means all
 * @param provider only jobs whose open attempt is on this provider, or null
 * @param labels labels that must all be present with these values
 * @param offset how many matches to skip
 * @param limit how many to return (1 to 1000)
 */
public record JobQuery(Set<JobState> states, ProviderId provider, Map<String, String> labels, int offset, int limit) {
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when offset is negative or limit out of range
     */
    public JobQuery {
        states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        Preconditions.argument(offset >= 0, "offset must not be negative, got %d", offset);
        Preconditions.argument(limit >= 1 && limit <= MAX_LIMIT, "limit must be between 1 and %d, got %d", MAX_LIMIT, limit);
    }

    /** Every job, first page of 100. */
    public static JobQuery all() {
        return new JobQuery(Set.of(), null, Map.of(), 0, 100);
    }

    /** Jobs in these states, first page of 100. */
    public static JobQuery inStates(JobState... values) {
        return new JobQuery(values.length == 0 ? Set.of() : EnumSet.of(values[0], values), null, Map.of(), 0, 100);
    }

    /** A copy limited to one provider. */
    public JobQuery onProvider(ProviderId value) {
        return new JobQuery(states, value, labels, offset, limit);
    }

    /** A copy that also requires {@code key=value}. */
    public JobQuery withLabel(String key, String value) {
        Map<String, String> next = new LinkedHashMap<>(labels);
        next.put(key, value);
        return new JobQuery(states, provider, next, offset, limit);
    }

    /** A copy for another page. */
    public JobQuery page(int newOffset, int newLimit) {
        return new JobQuery(states, provider, labels, newOffset, newLimit);
    }
}
