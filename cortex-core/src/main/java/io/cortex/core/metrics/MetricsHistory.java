package io.cortex.core.metrics;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The engine's bounded time series: the {@code metrics} service takes one {@link MetricsSample} each
 * sampling interval (default one a minute, at the minute) and keeps the newest {@link #capacity()}
 * (default 10,080: 7 days, about 1.9 MB when full), dropping the oldest. Nothing is recorded on the
 * engine's job path: a sample reads the engine's counters, its job counts, its providers' statuses
 * and the delivery sources. Restarting the {@code metrics} service leaves the history; while it is stopped no sample
 * is taken, and the next one counts everything that happened meanwhile.
 *
 * <pre>{@code
 * MetricsSeries lastDay = cortex.metricsHistory().series(HistoryRange.DAY);   // 96 quarter hours at most
 * lastDay.points().forEach(p -> chart.add(p.at(), p.succeeded(), p.failovers()));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface MetricsHistory {
    /** Default sampling interval: one minute. */
    Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** Default number of samples kept: a week of minutes. */
    int DEFAULT_CAPACITY = 7 * 24 * 60;

    /**
     * How often a sample is taken, in clock time.
     *
     * @return the interval
     */
    Duration interval();

    /**
     * How many samples are kept at most.
     *
     * @return the capacity
     */
    int capacity();

    /**
     * Every sample kept, oldest first, each at the end of its interval.
     *
     * @return a copy
     */
    List<MetricsSample> samples();

    /**
     * The samples of the last {@code range}, downsampled to its step and ending at the step boundary
     * at or after the clock's now.
     *
     * @param range the range
     * @return the series; its points may be empty
     * @throws NullPointerException when {@code range} is null
     */
    MetricsSeries series(HistoryRange range);

    /**
     * Adds a source of webhook delivery outcomes: each sample adds what its running totals grew by
     * since the sample before. A webhook dispatcher built with an engine adds itself.
     *
     * @param totals reads the source's running totals; called when a sample is taken, so keep it cheap
     * @return a handle that removes the source (what it counted since the last sample still goes into
     *     the next one)
     * @throws NullPointerException when {@code totals} is null
     */
    AutoCloseable addDeliverySource(Supplier<DeliveryCounts> totals);
}
