package io.cortex.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock and a sleeper in one: sleeping records the wait and moves the clock forward at once, so a
 * test sees every wait the client made and never waits for real.
 */
final class FakeTime extends Clock implements Sleeper {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final List<Duration> sleeps = new ArrayList<>();
    private Instant now = T0;

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        now = now.plus(duration);
    }

    /** The waits so far, in order. */
    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** Moves the clock without a recorded wait (time spent elsewhere). */
    synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("FakeTime is UTC only");
    }
}
