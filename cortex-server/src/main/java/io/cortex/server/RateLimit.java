package io.cortex.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How many requests one API key may make: a token bucket holding {@link #limit()} requests,
 * refilled evenly over {@link #window()} (so a full bucket allows a burst of {@code limit} requests,
 * then {@code limit} per window). Time comes from the server's clock, the engine's by default.
 */
public final class RateLimit {
    private static final RateLimit UNLIMITED = new RateLimit(0, Duration.ZERO);

    private final long limit;
    private final Duration window;

    private RateLimit(long limit, Duration window) {
        this.limit = limit;
        this.window = window;
    }

    /**
     * A bucket of {@code limit} requests refilled over {@code window}.
     *
     * @param limit requests per window and the largest burst, 1 to 1,000,000,000
     * @param window the refill period, 1 ms to 1 day
     * @return the rate limit
     * @throws NullPointerException when {@code window} is null
     * @throws IllegalArgumentException when a value is out of range
     */
    public static RateLimit of(long limit, Duration window) {
        Objects.requireNonNull(window, "window cannot be null");
        if (limit < 1 || limit > 1_000_000_000L) {
            throw new IllegalArgumentException("limit must be between 1 and 1000000000, got " + limit);
        }
        if (window.toMillis() < 1 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("window must be between 1 ms and 1 day, got " + window);
        }
        return new RateLimit(limit, window);
    }

    /**
     * {@code limit} requests per minute.
     *
     * @param limit requests per minute and the largest burst
     * @return the rate limit
     * @throws IllegalArgumentException when {@code limit} is out of range
     */
    public static RateLimit perMinute(long limit) {
        return of(limit, Duration.ofMinutes(1));
    }

    /**
     * No limit: no bucket, no {@code RateLimit-*} headers.
     *
     * @return the unlimited rate limit
     */
    public static RateLimit unlimited() {
        return UNLIMITED;
    }

    /**
     * Whether there is no limit.
     *
     * @return true for {@link #unlimited()}
     */
    public boolean isUnlimited() {
        return this == UNLIMITED;
    }

    /**
     * Requests per window, and the bucket's size.
     *
     * @return the limit; 0 when unlimited
     */
    public long limit() {
        return limit;
    }

    /**
     * The period over which an empty bucket refills.
     *
     * @return the window; zero when unlimited
     */
    public Duration window() {
        return window;
    }

    /**
     * Compares limit and window.
     *
     * @param o another object
     * @return true when equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof RateLimit r && r.limit == limit && r.window.equals(window);
    }

    /**
     * A hash of limit and window.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(limit, window);
    }

    /**
     * Describes the limit, e.g. {@code 600 requests per PT1M}.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return isUnlimited() ? "unlimited" : limit + " requests per " + window;
    }
}
