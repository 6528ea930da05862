package io.cortex.core.log;

import io.cortex.core.util.Preconditions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded ring of structured log records an operator can filter (by service, provider, job,
 * level, time) without access to the host's log files. Every record also goes to SLF4J (logger
 * {@code io.cortex.operator.<service>}). Thread-safe; oldest records are overwritten when full.
 */
public final class OperatorLog {
    /** Records kept when not configured. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final Clock clock;
    private OperatorLogRecord[] ring;
    private long next;

    /**
     * A ring of {@code capacity} records.
     *
     * @throws IllegalArgumentException when {@code capacity} is less than 1
     */
    public OperatorLog(int capacity, Clock clock) {
        Preconditions.argument(capacity >= 1, "capacity must be at least 1, got %d", capacity);
        this.ring = new OperatorLogRecord[capacity];
        this.clock = Preconditions.notNull(clock, "clock");
    }

    /** Adds a record and writes it to SLF4J. */
    public void log(OperatorLogRecord.Level level, String service, String provider, String jobId, String reason, String message) {
        Instant now = clock.instant();
        synchronized (this) {
            ring[(int) (next % ring.length)] = new OperatorLogRecord(next, now, level, service, provider, jobId, reason, message);
            next++;
        }
        Logger logger = LoggerFactory.getLogger("io.cortex.operator." + service);
        String line = (provider != null ? "[provider=" + provider + "] " : "") + (jobId != null ? "[job=" + jobId + "] " : "")
                + (reason != null ? reason + ": " : "") + message;
        switch (level) {
            case ERROR -> logger.error(line);
            case WARN -> logger.warn(line);
            default -> logger.info(line);
        }
    }

    /** An INFO record. */
    public void info(String service, String provider, String jobId, String reason, String message) {
        log(OperatorLogRecord.Level.INFO, service, provider, jobId, reason, message);
    }

    /** A WARN record. */
    public void warn(String service, String provider, String jobId, String reason, String message) {
        log(OperatorLogRecord.Level.WARN, service, provider, jobId, reason, message);
    }

    /** An ERROR record. */
    public void error(String service, String provider, String jobId, String reason, String message) {
        log(OperatorLogRecord.Level.ERROR, service, provider, jobId, reason, message);
    }

    /**
     * Records matching every non-null filter, oldest first, at most {@code limit} of the newest matches.
     *
     * @param service exact service name, or null
     * @param provider exact provider id, or null
     * @param jobId exact job id, or null
     * @param minLevel lowest level, or null for all
     * @param since only records at or after, or null
     * @param limit at most this many (the newest ones)
     */
    public List<OperatorLogRecord> query(String service, String provider, String jobId, OperatorLogRecord.Level minLevel,
            Instant since, int limit) {
        Preconditions.argument(limit >= 1, "limit must be at least 1, got %d", limit);
        List<OperatorLogRecord> out = new ArrayList<>();
        synchronized (this) {
            long first = Math.max(0, next - ring.length);
            for (long i = next - 1; i >= first && out.size() < limit; i--) {
                OperatorLogRecord r = ring[(int) (i % ring.length)];
                if ((service == null || service.equals(r.service())) && (provider == null || provider.equals(r.provider()))
                        && (jobId == null || jobId.equals(r.jobId()))
                        && (minLevel == null || r.level().compareTo(minLevel) >= 0)
                        && (since == null || !r.timestamp().isBefore(since))) {
                    out.add(r);
                }
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** How many records the ring holds at most. */
    public synchronized int capacity() {
        return ring.length;
    }

    /**
     * Changes the capacity, keeping the newest records that fit.
     *
     * @throws IllegalArgumentException when {@code capacity} is less than 1
     */
    public synchronized void resize(int capacity) {
        Preconditions.argument(capacity >= 1, "capacity must be at least 1, got %d", capacity);
        OperatorLogRecord[] next2 = new OperatorLogRecord[capacity];
        long first = Math.max(0, Math.max(next - ring.length, next - capacity));
        for (long i = first; i < next; i++) {
            next2[(int) (i % capacity)] = ring[(int) (i % ring.length)];
        }
        ring = next2;
    }
}
