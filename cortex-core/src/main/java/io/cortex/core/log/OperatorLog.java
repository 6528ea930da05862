package io.cortex.core.log;

import io.cortex.core.util.Preconditions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded ring of structured log records an operator can filter (by service, provider, job,
 * level, time) without access to the host's log files. Every record also goes to SLF4J (logger
 * {@code io.cortex.operator.<service>}) and, when one is configured, to an {@link OperatorLogFile}
 * as a JSON line. Thread-safe.
 *
 * <p>The ring holds at most {@link #capacity()} records and, when {@link #maxBytes()} is set, at most
 * that many bytes of records, each counted at the approximate size of its JSON line; the oldest
 * records go first (the newest record is always kept).
 */
public final class OperatorLog implements AutoCloseable {
    /** Records kept when not configured. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /** What a record adds to its strings' lengths in the size estimate: member names, time, level, sequence. */
    static final int RECORD_OVERHEAD = 110;

    private final Clock clock;
    private final OperatorLogFile file;
    private OperatorLogRecord[] ring;
    private int[] sizes;
    private long first;
    private long next;
    private long bytes;
    private long maxBytes;

    /**
     * A ring of {@code capacity} records, without a file.
     *
     * @param capacity the most records kept, at least 1
     * @param clock where record times come from
     * @throws IllegalArgumentException when {@code capacity} is less than 1
     */
    public OperatorLog(int capacity, Clock clock) {
        this(capacity, clock, null);
    }

    /**
     * A ring of {@code capacity} records that also writes every record to {@code file}.
     *
     * @param capacity the most records kept, at least 1
     * @param clock where record times come from
     * @param file the file records also go to, or null for none; closed with this log
     * @throws IllegalArgumentException when {@code capacity} is less than 1
     */
    public OperatorLog(int capacity, Clock clock, OperatorLogFile file) {
        Preconditions.argument(capacity >= 1, "capacity must be at least 1, got %d", capacity);
        this.ring = new OperatorLogRecord[capacity];
        this.sizes = new int[capacity];
        this.clock = Preconditions.notNull(clock, "clock");
        this.file = file;
    }

    /**
     * Adds a record, writes it to SLF4J and to the file when there is one.
     *
     * @param level the severity
     * @param service the engine service writing it
     * @param provider the provider concerned, or null
     * @param jobId the job concerned, or null
     * @param reason a reason code name, or null
     * @param message human words, never a secret
     */
    public void log(OperatorLogRecord.Level level, String service, String provider, String jobId, String reason, String message) {
        Instant now = clock.instant();
        int size = RECORD_OVERHEAD + length(service) + length(provider) + length(jobId) + length(reason) + length(message);
        OperatorLogRecord record;
        synchronized (this) {
            if (next - first == ring.length) {
                dropOldest();
            }
            record = new OperatorLogRecord(next, now, level, service, provider, jobId, reason, message);
            int slot = (int) (next % ring.length);
            ring[slot] = record;
            sizes[slot] = size;
            bytes += size;
            next++;
            trimToBytes();
        }
        if (file != null) {
            file.write(record);
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

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private void dropOldest() {
        int slot = (int) (first % ring.length);
        bytes -= sizes[slot];
        ring[slot] = null;
        sizes[slot] = 0;
        first++;
    }

    private void trimToBytes() {
        while (maxBytes > 0 && bytes > maxBytes && next - first > 1) {
            dropOldest();
        }
    }

    /**
     * An INFO record.
     *
     * @param service the engine service writing it
     * @param provider the provider concerned, or null
     * @param jobId the job concerned, or null
     * @param reason a reason code name, or null
     * @param message human words
     */
    public void info(String service, String provider, String jobId, String reason, String message) {
        log(OperatorLogRecord.Level.INFO, service, provider, jobId, reason, message);
    }

    /**
     * A WARN record.
     *
     * @param service the engine service writing it
     * @param provider the provider concerned, or null
     * @param jobId the job concerned, or null
     * @param reason a reason code name, or null
     * @param message human words
     */
    public void warn(String service, String provider, String jobId, String reason, String message) {
        log(OperatorLogRecord.Level.WARN, service, provider, jobId, reason, message);
    }

    /**
     * An ERROR record.
     *
     * @param service the engine service writing it
     * @param provider the provider concerned, or null
     * @param jobId the job concerned, or null
     * @param reason a reason code name, or null
     * @param message human words
     */
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
     * @return the records
     * @throws IllegalArgumentException when {@code limit} is less than 1
     */
    public List<OperatorLogRecord> query(String service, String provider, String jobId, OperatorLogRecord.Level minLevel,
            Instant since, int limit) {
        Preconditions.argument(limit >= 1, "limit must be at least 1, got %d", limit);
        List<OperatorLogRecord> out = new ArrayList<>();
        synchronized (this) {
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

    /**
     * How many records the ring holds at most.
     *
     * @return the capacity
     */
    public synchronized int capacity() {
        return ring.length;
    }

    /**
     * How many records the ring holds now.
     *
     * @return the count
     */
    public synchronized int size() {
        return (int) (next - first);
    }

    /**
     * The approximate size of the records held, as JSON lines.
     *
     * @return bytes
     */
    public synchronized long bytes() {
        return bytes;
    }

    /**
     * The most bytes of records the ring keeps, 0 when only {@link #capacity()} bounds it.
     *
     * @return bytes, or 0
     */
    public synchronized long maxBytes() {
        return maxBytes;
    }

    /**
     * Bounds the ring by the approximate size of its records as JSON lines, dropping the oldest
     * records now if it holds more.
     *
     * @param value the most bytes kept, or 0 for no bound but {@link #capacity()}
     * @throws IllegalArgumentException when negative
     */
    public synchronized void maxBytes(long value) {
        Preconditions.argument(value >= 0, "maxBytes must not be negative, got %d", value);
        maxBytes = value;
        trimToBytes();
    }

    /**
     * Changes the capacity, keeping the newest records that fit.
     *
     * @param capacity the most records kept, at least 1
     * @throws IllegalArgumentException when {@code capacity} is less than 1
     */
    public synchronized void resize(int capacity) {
        Preconditions.argument(capacity >= 1, "capacity must be at least 1, got %d", capacity);
        OperatorLogRecord[] nextRing = new OperatorLogRecord[capacity];
        int[] nextSizes = new int[capacity];
        long from = Math.max(first, next - capacity);
        long kept = 0;
        for (long i = from; i < next; i++) {
            nextRing[(int) (i % capacity)] = ring[(int) (i % ring.length)];
            nextSizes[(int) (i % capacity)] = sizes[(int) (i % ring.length)];
            kept += sizes[(int) (i % ring.length)];
        }
        ring = nextRing;
        sizes = nextSizes;
        first = from;
        bytes = kept;
    }

    /**
     * The file records also go to.
     *
     * @return the file, or empty when none is configured
     */
    public Optional<OperatorLogFile> file() {
        return Optional.ofNullable(file);
    }

    /** Closes the file, if any; the ring stays readable. Idempotent. */
    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }
}
