package io.cortex.core.metrics;

import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.util.Preconditions;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One point of the engine's history: what happened within an interval (counters) and how things
 * stood at its end (gauges). The {@code metrics} service records one a sampling interval;
 * {@link MetricsHistory#series} merges them into one per step of a {@link HistoryRange}.
 *
 * @param at the end of the interval or step
 * @param jobsByState gauge: stored jobs in each state (every state present)
 * @param submitted counter: jobs submitted
 * @param succeeded counter: jobs that succeeded
 * @param failed counter: jobs that failed for good
 * @param cancelled counter: jobs cancelled
 * @param failoversByReason counter: attempts ended and moved to another provider, by the reason
 *     (only reasons that happened)
 * @param providers gauge: providers in each status (every status present)
 * @param deliveries counter: webhook delivery outcomes
 */
public record MetricsSample(Instant at, Map<JobState, Long> jobsByState, long submitted, long succeeded, long failed,
        long cancelled, Map<ReasonCode, Long> failoversByReason, Map<ProviderStatus, Long> providers,
        DeliveryCounts deliveries) {
    /**
     * Validates and copies: missing states and statuses count zero, zero failover counts are dropped.
     *
     * @throws NullPointerException when a field is null
     * @throws IllegalArgumentException when a count is negative
     */
    public MetricsSample {
        Preconditions.notNull(at, "at");
        Preconditions.notNull(deliveries, "deliveries");
        jobsByState = complete(JobState.class, Preconditions.notNull(jobsByState, "jobsByState"), "jobsByState");
        providers = complete(ProviderStatus.class, Preconditions.notNull(providers, "providers"), "providers");
        Preconditions.notNull(failoversByReason, "failoversByReason");
        Map<ReasonCode, Long> f = new EnumMap<>(ReasonCode.class);
        failoversByReason.forEach((reason, n) -> {
            nonNegative(n, "failoversByReason." + reason);
            if (n > 0) {
                f.put(reason, n);
            }
        });
        failoversByReason = f.isEmpty() ? Map.of() : Collections.unmodifiableMap(f);
        nonNegative(submitted, "submitted");
        nonNegative(succeeded, "succeeded");
        nonNegative(failed, "failed");
        nonNegative(cancelled, "cancelled");
    }

    /**
     * Every failover, whatever its reason.
     *
     * @return the sum of {@link #failoversByReason()}
     */
    public long failovers() {
        long n = 0;
        for (long v : failoversByReason.values()) {
            n += v;
        }
        return n;
    }

    private static <E extends Enum<E>> Map<E, Long> complete(Class<E> type, Map<E, Long> values, String name) {
        Map<E, Long> all = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            Long n = values.get(e);
            all.put(e, n == null ? 0L : nonNegative(n, name + "." + e));
        }
        return Collections.unmodifiableMap(all);
    }

    private static long nonNegative(Long n, String name) {
        Preconditions.notNull(n, name);
        Preconditions.argument(n >= 0, "%s must not be negative, got %d", name, n);
        return n;
    }
}
