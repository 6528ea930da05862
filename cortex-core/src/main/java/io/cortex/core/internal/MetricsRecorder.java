package io.cortex.core.internal;

import io.cortex.core.EngineMetrics;
import io.cortex.core.job.JobState;
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
    private static final JobState[] STATES = JobState.values();
    private static final ProviderStatus[] STATUSES = ProviderStatus.values();

    // a sample is kept as one row of longs (measured: ~185 bytes with its holder, against ~660 for a
    // MetricsSample with its maps), so a full week of minutes is ~1.9 MB; samples are built on reading
    private static final int AT = 0;
    private static final int JOBS = 1;
    private static final int SUBMITTED = JOBS + STATES.length;
    private static final int SUCCEEDED = SUBMITTED + 1;
    private static final int FAILED = SUCCEEDED + 1;
    private static final int CANCELLED = FAILED + 1;
    private static final int PROVIDERS = CANCELLED + 1;
    private static final int DELIVERED = PROVIDERS + STATUSES.length;
    private static final int DELIVERY_FAILED = DELIVERED + 1;
    private static final int WIDTH = DELIVERY_FAILED + 1;

    private final Clock clock;
    private final Duration interval;
    private final long intervalMillis;
    private final Supplier<EngineMetrics> engine;
    private final Supplier<? extends Iterable<ProviderStatus>> providers;
    private final Row[] ring;
    private final List<Source> sources = new ArrayList<>();

    // guarded by this
    private long written;
    private Instant nextDue;
    private EngineMetrics last;
    private DeliveryCounts removed = DeliveryCounts.NONE;

    /** One sample: its values in the layout above, and its failovers by reason (shared empty map when none). */
    private record Row(long[] values, Map<ReasonCode, Long> failovers) {}

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
        this.ring = new Row[capacity];
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
        long at = floor(now.toEpochMilli(), intervalMillis);
        EngineMetrics m = engine.get();
        long[] v = new long[WIDTH];
        v[AT] = at;
        for (JobState s : STATES) {
            v[JOBS + s.ordinal()] = m.jobsByState().getOrDefault(s, 0L);
        }
        v[SUBMITTED] = increase(last == null ? 0 : last.submitted(), m.submitted());
        v[SUCCEEDED] = increase(last == null ? 0 : last.succeeded(), m.succeeded());
        v[FAILED] = increase(last == null ? 0 : last.failed(), m.failed());
        v[CANCELLED] = increase(last == null ? 0 : last.cancelled(), m.cancelled());
        for (ProviderStatus s : providers.get()) {
            v[PROVIDERS + s.ordinal()]++;
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
        v[DELIVERED] = deliveries.succeeded();
        v[DELIVERY_FAILED] = deliveries.failed();
        Map<ReasonCode, Long> failovers = new EnumMap<>(ReasonCode.class);
        for (Map.Entry<ReasonCode, Long> e : m.failovers().entrySet()) {
            long n = increase(last == null ? 0L : last.failovers().getOrDefault(e.getKey(), 0L), e.getValue());
            if (n > 0) {
                failovers.put(e.getKey(), n);
            }
        }
        ring[(int) (written++ % ring.length)] = new Row(v, failovers.isEmpty() ? Map.of() : failovers);
        last = m;
        nextDue = Instant.ofEpochMilli(at).plus(interval);
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

    /** The rows kept, oldest first. */
    private synchronized List<Row> rows() {
        List<Row> out = new ArrayList<>((int) Math.min(written, ring.length));
        for (long i = Math.max(0, written - ring.length); i < written; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    @Override
    public List<MetricsSample> samples() {
        List<Row> rows = rows();
        List<MetricsSample> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(sample(r.values[AT], r.values, r.values, r.failovers));
        }
        return out;
    }

    @Override
    public MetricsSeries series(HistoryRange range) {
        Preconditions.notNull(range, "range");
        long step = range.step().toMillis();
        long to = ceil(clock.millis(), step); // the boundary at or after now
        long from = to - range.length().toMillis();
        List<MetricsSample> points = new ArrayList<>();
        long[] sums = null;     // counters of the step under way
        long[] gauges = null;   // the last row of the step under way
        Map<ReasonCode, Long> failovers = null;
        long end = 0;
        for (Row r : rows()) {
            long at = r.values[AT];
            if (at <= from || at > to) {
                continue;
            }
            long rowEnd = ceil(at, step);
            if (sums == null || rowEnd != end) {
                if (sums != null) {
                    points.add(sample(end, sums, gauges, failovers));
                }
                sums = new long[WIDTH];
                failovers = new EnumMap<>(ReasonCode.class);
                end = rowEnd;
            }
            for (int i = SUBMITTED; i <= CANCELLED; i++) {
                sums[i] += r.values[i];
            }
            sums[DELIVERED] += r.values[DELIVERED];
            sums[DELIVERY_FAILED] += r.values[DELIVERY_FAILED];
            Map<ReasonCode, Long> merged = failovers;
            r.failovers.forEach((reason, n) -> merged.merge(reason, n, Long::sum));
            gauges = r.values;
        }
        if (sums != null) {
            points.add(sample(end, sums, gauges, failovers));
        }
        return new MetricsSeries(range, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), points);
    }

    private static long ceil(long millis, long step) {
        return Math.floorDiv(millis + step - 1, step) * step;
    }

    /** A sample at {@code at} with the counters of {@code counters} and the gauges of {@code gauges}. */
    private static MetricsSample sample(long at, long[] counters, long[] gauges, Map<ReasonCode, Long> failovers) {
        Map<JobState, Long> jobs = new EnumMap<>(JobState.class);
        for (JobState s : STATES) {
            jobs.put(s, gauges[JOBS + s.ordinal()]);
        }
        Map<ProviderStatus, Long> statuses = new EnumMap<>(ProviderStatus.class);
        for (ProviderStatus s : STATUSES) {
            statuses.put(s, gauges[PROVIDERS + s.ordinal()]);
        }
        return new MetricsSample(Instant.ofEpochMilli(at), jobs, counters[SUBMITTED], counters[SUCCEEDED], counters[FAILED],
                counters[CANCELLED], failovers, statuses, new DeliveryCounts(counters[DELIVERED], counters[DELIVERY_FAILED]));
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
