package io.cortex.core;

import io.cortex.core.util.Preconditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when told to: hand it to {@code Cortex.builder().clock(…)} and to the
 * providers, then {@link #advance} it, so a five-minute timeout is tested in microseconds.
 * Thread-safe.
 */
public final class ManualClock extends Clock {
    private volatile Instant now;

    /** A clock standing at {@code start}. */
    public ManualClock(Instant start) {
        this.now = Preconditions.notNull(start, "start");
    }

    /** A clock standing at 2030-01-01T00:00:00Z. */
    public ManualClock() {
        this(Instant.parse("2030-01-01T00:00:00Z"));
    }

    /**
     * Moves the clock forward.
     *
     * @throws IllegalArgumentException when {@code by} is negative
     */
    public synchronized ManualClock advance(Duration by) {
        Preconditions.argument(!by.isNegative(), "cannot move the clock back by %s", by);
        now = now.plus(by);
        return this;
    }

    /** Sets the time (forward or back). */
    public void set(Instant instant) {
        now = Preconditions.notNull(instant, "instant");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public long millis() {
        return now.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public String toString() {
        return "ManualClock[" + now + "]";
    }
}
