package io.cortex.store.jdbc.internal;

import io.cortex.core.store.SlowQuery;
import io.cortex.core.util.Preconditions;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bounded ring of statements slower than a threshold that can change at run time. */
public final class SlowQueryLog {
    private static final Logger LOG = LoggerFactory.getLogger(SlowQueryLog.class);

    private final SlowQuery[] ring;
    private final Clock clock;
    private final AtomicLong recorded = new AtomicLong();
    private long next;
    private volatile long thresholdNanos;

    /**
     * A ring of {@code capacity} entries recording statements of at least {@code thresholdMillis}.
     *
     * @throws IllegalArgumentException when capacity is below 1 or the threshold negative
     */
    public SlowQueryLog(int capacity, long thresholdMillis, Clock clock) {
        Preconditions.argument(capacity >= 1, "slowQueryCapacity must be at least 1, got %d", capacity);
        this.ring = new SlowQuery[capacity];
        this.clock = Preconditions.notNull(clock, "clock");
        threshold(thresholdMillis);
    }

    /**
     * Sets the threshold.
     *
     * @throws IllegalArgumentException when negative
     */
    public void threshold(long millis) {
        Preconditions.argument(millis >= 0, "slowQueryThreshold must not be negative, got %d", millis);
        thresholdNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** The threshold in milliseconds. */
    public long thresholdMillis() {
        return TimeUnit.NANOSECONDS.toMillis(thresholdNanos);
    }

    /** A JDBC call. */
    @FunctionalInterface
    public interface SqlCall<T> {
        /**
         * Runs it.
         *
         * @throws SQLException when the database fails
         */
        T run() throws SQLException;
    }

    /**
     * Runs one statement (or batch), recording it when slow or failed.
     *
     * @throws SQLException the statement's failure, after recording it
     */
    public <T> T timed(String sql, SqlCall<T> call) throws SQLException {
        long start = System.nanoTime();
        try {
            T result = call.run();
            record(sql, start, null);
            return result;
        } catch (SQLException | RuntimeException e) {
            record(sql, start, e);
            throw e;
        }
    }

    /** Records {@code sql} if it ran at least the threshold since {@code startNanos}; {@code error} may be null. */
    public void record(String sql, long startNanos, Throwable error) {
        long took = System.nanoTime() - startNanos;
        if (took < thresholdNanos) {
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(took);
        SlowQuery q = new SlowQuery(clock.instant(), sql, millis, error == null ? null : error.toString());
        synchronized (ring) {
            ring[(int) (next++ % ring.length)] = q;
        }
        recorded.incrementAndGet();
        LOG.debug("slow statement ({} ms): {}", millis, sql);
    }

    /** The recorded statements, newest first. */
    public List<SlowQuery> snapshot() {
        synchronized (ring) {
            List<SlowQuery> out = new ArrayList<>();
            for (long i = next - 1; i >= Math.max(0, next - ring.length); i--) {
                out.add(ring[(int) (i % ring.length)]);
            }
            return out;
        }
    }

    /** How many statements were recorded since the start or the last clear (more than the ring keeps). */
    public long count() {
        return recorded.get();
    }

    /** Forgets every recorded statement. */
    public void clear() {
        synchronized (ring) {
            java.util.Arrays.fill(ring, null);
            next = 0;
            recorded.set(0);
        }
    }

    /** The ring's size. */
    public int capacity() {
        return ring.length;
    }
}
