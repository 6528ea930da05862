package io.cortex.core.metrics;

import io.cortex.core.util.Preconditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The engine's history over a {@link HistoryRange}, one point per step that holds a sample. A step
 * covers {@code (at - step, at]}; its counters are summed over the samples within it and its gauges
 * are those of its last sample. Steps without a sample are absent: an engine that just started has
 * few points or none.
 *
 * @param range the range asked for
 * @param from the start of the first step, excluded ({@code to} minus the range's length)
 * @param to the end of the last step: the step boundary at or after the time asked about
 * @param points oldest first, at most {@link HistoryRange#maxPoints()}
 */
public record MetricsSeries(HistoryRange range, Instant from, Instant to, List<MetricsSample> points) {
    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a field is null
     * @throws IllegalArgumentException when {@code from} is not before {@code to}
     */
    public MetricsSeries {
        Preconditions.notNull(range, "range");
        Preconditions.notNull(from, "from");
        Preconditions.notNull(to, "to");
        Preconditions.argument(from.isBefore(to), "from (%s) must be before to (%s)", from, to);
        points = List.copyOf(Preconditions.notNull(points, "points"));
    }

    /**
     * The width of each point.
     *
     * @return the range's step
     */
    public Duration step() {
        return range.step();
    }
}
