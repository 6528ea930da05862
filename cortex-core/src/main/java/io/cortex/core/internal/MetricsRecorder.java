package io.cortex.core.internal;

import io.cortex.core.EngineMetrics;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.metrics.DeliveryCounts;
import io.cortex.core.metrics.HistoryRange;
import io.cortex.core.metrics.MetricsHistory;
import io.cortex.core.metrics.MetricsSample;
import io.cortex.core.metrics.MetricsSeries;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.util.Preconditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link MetricsHistory}: a ring of samples filled by the {@code metrics} service's
 * {@link #pass()}. A sample is due at each multiple of the interval since the epoch (at the minute
 * by default); it is stamped with that boundary and holds what the engine's running counters and
 * the delivery sources grew by since the sample before, and the job and provider gauges read when it
 * is taken. Nothing here runs on the engine's job path.
 */
public final class MetricsRecorder implements MetricsHistory {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsRecorder.class);

    private final Clock clock;
    private final Duration interval;
    private final long intervalMillis;
    private final Supplier<EngineMetrics> engine;
    private final Supplier<? extends Iterable<ProviderStatus>> providers;
    private final MetricsSample[] ring;
    private final List<Source> sources = new ArrayList<>();

    // guarded by this
    private long written;
    private Instant nextDue;
    private EngineMetrics last;
    private DeliveryCounts removed = DeliveryCounts.NONE;

    /** One delivery source and its totals at the last sample. */
    private static final class Source {
        final Supplier<DeliveryCounts> totals;
        DeliveryCounts last;

        Source(Supplier<DeliveryCounts> totals, DeliveryCounts last) {
            this.totals = totals;
            this.last = last;
        }
    }

    /**
     * A history with nothing in it; the first sample is due at the first interval boundary after now.
     *
     * @param clock where time comes from
     * @param interval how often a sample is taken
     * @param capacity how many samples are kept
     * @param engine reads the engine's counters and job counts (only when a sample is due)
     * @param providers reads every provider's status (only when a sample is due)
     */
    public MetricsRecorder(Clock clock, Duration interval, int capacity, Supplier<EngineMetrics> engine,
            Supplier<? extends Iterable<ProviderStatus>> providers) {
        this.clock = Preconditions.notNull(clock, "clock");
        this.interval = Preconditions.notNull(interval, "interval");
        this.intervalMillis = interval.toMillis();
        Preconditions.argument(intervalMillis >= 1, "the metrics interval must be at least 1 ms, got %s", interval);
        Preconditions.argument(capacity >= 1, "metrics samples must be at least 1, got %d", capacity);
        this.ring = new MetricsSample[capacity];
        this.engine = Preconditions.notNull(engine, "engine");
        this.providers = Preconditions.notNull(providers, "providers");
        this.nextDue = Instant.ofEpochMilli(floor(clock.millis(), intervalMillis) + intervalMillis);
    }

    /** The metrics service's pass: takes a sample when one is due, else returns at once. */
    public synchronized void pass() {
        Instant now = clock.instant();
        if (now.isBefore(nextDue)) {
            return;
        }
        Instant at = Instant.ofEpochMilli(floor(now.toEpochMilli(), intervalMillis));
        EngineMetrics m = engine.get();
        Map<ProviderStatus, Long> statuses = new EnumMap<>(ProviderStatus.class);
        for (ProviderStatus s : providers.get()) {
            statuses.merge(s, 1L, Long::sum);
        }
        DeliveryCounts deliveries = removed;
        removed = DeliveryCounts.NONE;
        for (Source s : sources) {
            DeliveryCounts totals;
            try {
                totals = Preconditions.notNull(s.totals.get(), "delivery totals");
            } catch (RuntimeException e) {
                LOG.warn("delivery source {} failed; this sample leaves it out", s.totals, e);
                continue;
            }
            deliveries = deliveries.plus(totals.since(s.last));
            s.last = totals;
        }
        Map<ReasonCode, Long> failovers = new EnumMap<>(ReasonCode.class);
        m.failovers().forEach((reason, n) -> failovers.put(reason, increase(last == null ? 0L
                : last.failovers().getOrDefault(reason, 0L), n)));
        MetricsSample sample = new MetricsSample(at, m.jobsByState(),
                increase(last == null ? 0 : last.submitted(), m.submitted()),
                increase(last == null ? 0 : last.succeeded(), m.succeeded()),
                increase(last == null ? 0 : last.failed(), m.failed()),
                increase(last == null ? 0 : last.cancelled(), m.cancelled()),
                failovers, statuses, deliveries);
        ring[(int) (written++ % ring.length)] = sample;
        last = m;
        nextDue = at.plus(interval);
    }

    private static long increase(long before, long now) {
        return now >= before ? now - before : now;
    }

    private static long floor(long millis, long step) {
        return Math.floorDiv(millis, step) * step;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public int capacity() {
        return ring.length;
    }

    @Override
    public synchronized List<MetricsSample> samples() {
        List<MetricsSample> out = new ArrayList<>((int) Math.min(written, ring.length));
        for (long i = Math.max(0, written - ring.length); i < written; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    @Override
    public MetricsSeries series(HistoryRange range) {
        Preconditions.notNull(range, "range");
        long step = range.step().toMillis();
        long to = Math.floorDiv(clock.millis() + step - 1, step) * step; // the boundary at or after now
        long from = to - range.length().toMillis();
        List<MetricsSample> points = new ArrayList<>();
        MetricsSample current = null;
        long currentEnd = 0;
        for (MetricsSample s : samples()) {
            long at = s.at().toEpochMilli();
            if (at <= from || at > to) {
                continue;
            }
            long end = Math.floorDiv(at + step - 1, step) * step;
            if (current != null && end == currentEnd) {
                current = current.then(s, current.at());
            } else {
                if (current != null) {
                    points.add(current);
                }
                current = atEnd(s, end);
                currentEnd = end;
            }
        }
        if (current != null) {
            points.add(current);
        }
        return new MetricsSeries(range, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), points);
    }

    private static MetricsSample atEnd(MetricsSample s, long end) {
        return s.at().toEpochMilli() == end ? s : new MetricsSample(Instant.ofEpochMilli(end), s.jobsByState(),
                s.submitted(), s.succeeded(), s.failed(), s.cancelled(), s.failoversByReason(), s.providers(),
                s.deliveries());
    }

    @Override
    public AutoCloseable addDeliverySource(Supplier<DeliveryCounts> totals) {
        Preconditions.notNull(totals, "totals");
        Source source;
        synchronized (this) {
            source = new Source(totals, totals.get());
            sources.add(source);
        }
        return () -> {
            synchronized (MetricsRecorder.this) {
                if (sources.remove(source)) {
                    removed = removed.plus(totals.get().since(source.last));
                }
            }
        };
    }

    @Override
    public synchronized String toString() {
        return "MetricsHistory[" + Math.min(written, ring.length) + " of " + ring.length + " samples, every " + interval + "]";
    }
}
