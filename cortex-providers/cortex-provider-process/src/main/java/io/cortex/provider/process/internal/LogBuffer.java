package io.cortex.provider.process.internal;

import io.cortex.core.provider.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines one process printed, bounded: when full, the oldest line is dropped. Lines are
 * numbered from 0 in the order they arrive, across both streams, so a sequence is a cursor that
 * stays valid while lines are dropped. Thread-safe.
 */
public final class LogBuffer {
    private final LogLine[] ring;
    private long next;
    private int size;

    /**
     * A buffer keeping at most {@code capacity} lines.
     *
     * @throws IllegalArgumentException when {@code capacity} is less than 1
     */
    public LogBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("log buffer capacity must be at least 1, got " + capacity);
        }
        this.ring = new LogLine[capacity];
    }

    /** Appends one line, dropping the oldest when full. */
    public synchronized void append(Instant timestamp, String stream, String text) {
        ring[(int) (next % ring.length)] = new LogLine(next, timestamp, stream, text);
        next++;
        if (size < ring.length) {
            size++;
        }
    }

    /**
     * Up to {@code limit} kept lines with a sequence greater than {@code afterSequence}, oldest first.
     *
     * @throws IllegalArgumentException when {@code limit} is negative
     */
    public synchronized List<LogLine> after(long afterSequence, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        long oldest = next - size;
        long from = Math.max(oldest, afterSequence + 1);
        long to = Math.min(next, from + limit);
        List<LogLine> out = new ArrayList<>((int) Math.max(0, to - from));
        for (long s = from; s < to; s++) {
            out.add(ring[(int) (s % ring.length)]);
        }
        return out;
    }

    /** How many lines arrived in all, kept or dropped. */
    public synchronized long total() {
        return next;
    }

    /** How many lines were dropped because the buffer was full. */
    public synchronized long dropped() {
        return next - size;
    }

    @Override
    public synchronized String toString() {
        return "LogBuffer{" + size + " of " + next + " lines kept}";
    }
}
