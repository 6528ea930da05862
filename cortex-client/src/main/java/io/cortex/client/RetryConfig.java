package io.cortex.client;

import io.cortex.client.internal.Preconditions;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When and how the client retries a call: an immutable configuration, made with {@link #builder()} or
 * taken as {@link #ofDefaults()}.
 *
 * <p>What is retried:
 * <ul>
 *   <li>{@code GET}, {@code PUT} and {@code DELETE} (idempotent), and a {@code POST} that carries an
 *       {@code Idempotency-Key} (every job submit does): on an I/O error (connection refused or reset,
 *       timeout) and on the {@linkplain #retryableStatuses() retryable statuses}, by default 429, 502,
 *       503 and 504;</li>
 *   <li>any other {@code POST}: only when the server provably did not act on it, that is on 429 (the
 *       server refused the request before handling it) and when the connection could not be opened. A
 *       {@code POST} without a key is never retried after a 5xx or a broken connection.</li>
 * </ul>
 *
 * <p>How long it waits: 429 and 503 honour {@code Retry-After} (delta-seconds or an HTTP-date); every
 * other retry waits an exponential backoff with full jitter, a random time between zero and
 * {@code min(maxDelay, baseDelay × 2^(retry-1))}. A {@code Retry-After} longer than
 * {@link #maxRetryAfter()} is not waited: the call fails at once with the server's answer (a
 * {@link RateLimitedException} carries the wait, for the caller to schedule).
 *
 * <p>When it stops: after {@link #maxAttempts()} attempts in all, or when the next wait would end after
 * {@link #maxDuration()} from the first attempt; the last failure is then thrown.
 *
 * <p>Defaults ({@link #ofDefaults()}): 4 attempts, 60 s in all, backoff from 250 ms up to 8 s,
 * {@code Retry-After} honoured up to 30 s, statuses 429, 502, 503, 504.
 */
public final class RetryConfig {
    /** Default {@link #maxAttempts()}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** Default {@link #maxDuration()}. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofSeconds(60);
    /** Default {@link #baseDelay()}. */
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(250);
    /** Default {@link #maxDelay()}. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(8);
    /** Default {@link #maxRetryAfter()}. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);
    /** Default {@link #retryableStatuses()}. */
    public static final Set<Integer> DEFAULT_RETRYABLE_STATUSES = Set.of(429, 502, 503, 504);

    private static final RetryConfig DEFAULTS = builder().build();
    private static final RetryConfig DISABLED = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration maxDuration;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration maxRetryAfter;
    private final Set<Integer> retryableStatuses;

    private RetryConfig(Builder b) {
        this.maxAttempts = b.maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : b.maxAttempts;
        this.maxDuration = b.maxDuration == null ? DEFAULT_MAX_DURATION : b.maxDuration;
        this.baseDelay = b.baseDelay == null ? DEFAULT_BASE_DELAY : b.baseDelay;
        this.maxDelay = b.maxDelay == null ? DEFAULT_MAX_DELAY : b.maxDelay;
        this.maxRetryAfter = b.maxRetryAfter == null ? DEFAULT_MAX_RETRY_AFTER : b.maxRetryAfter;
        this.retryableStatuses = Collections.unmodifiableSet(new TreeSet<>(
                b.retryableStatuses == null ? DEFAULT_RETRYABLE_STATUSES : b.retryableStatuses));
    }

    /**
     * The defaults described on this class.
     *
     * @return the default configuration
     */
    public static RetryConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * No retry at all: one attempt per call.
     *
     * @return a configuration with {@code maxAttempts = 1}
     */
    public static RetryConfig disabled() {
        return DISABLED;
    }

    /**
     * A builder; options left unset take the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How many attempts a call makes at most, the first included; 1 means no retry.
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The most time a call may take from its first attempt to its last, waits included. A retry whose
     * wait would end later is not made; each attempt's timeout is also cut to the time left.
     *
     * @return a positive duration
     */
    public Duration maxDuration() {
        return maxDuration;
    }

    /**
     * The backoff of the first retry: the wait before retry {@code n} is random between zero and
     * {@code min(maxDelay, baseDelay × 2^(n-1))}.
     *
     * @return a positive duration
     */
    public Duration baseDelay() {
        return baseDelay;
    }

    /**
     * The cap of the exponential backoff.
     *
     * @return a duration not shorter than {@link #baseDelay()}
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * The longest {@code Retry-After} the client waits; a longer one ends the call with the server's
     * answer at once.
     *
     * @return a duration, not negative
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * The HTTP statuses that are retried (429 for every method; the others only for idempotent calls).
     *
     * @return the statuses, sorted
     */
    public Set<Integer> retryableStatuses() {
        return retryableStatuses;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryConfig c && c.maxAttempts == maxAttempts && c.maxDuration.equals(maxDuration)
                && c.baseDelay.equals(baseDelay) && c.maxDelay.equals(maxDelay)
                && c.maxRetryAfter.equals(maxRetryAfter) && c.retryableStatuses.equals(retryableStatuses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, maxDuration, baseDelay, maxDelay, maxRetryAfter, retryableStatuses);
    }

    @Override
    public String toString() {
        return "RetryConfig{maxAttempts=" + maxAttempts + ", maxDuration=" + maxDuration + ", baseDelay=" + baseDelay
                + ", maxDelay=" + maxDelay + ", maxRetryAfter=" + maxRetryAfter + ", retryableStatuses="
                + retryableStatuses + "}";
    }

    /**
     * Builds a {@link RetryConfig}. Each option may be set once: setting it again is an
     * {@link IllegalStateException} that says what it was already set to. Not thread-safe.
     */
    public static final class Builder {
        private Integer maxAttempts;
        private Duration maxDuration;
        private Duration baseDelay;
        private Duration maxDelay;
        private Duration maxRetryAfter;
        private Set<Integer> retryableStatuses;

        private Builder() {}

        /**
         * Sets {@link RetryConfig#maxAttempts()}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code value} is below 1
         * @throws IllegalStateException when already set
         */
        public Builder maxAttempts(int value) {
            Preconditions.unset(maxAttempts, "maxAttempts");
            Preconditions.argument(value >= 1, "maxAttempts must be at least 1, got %d", value);
            maxAttempts = value;
            return this;
        }

        /**
         * Sets {@link RetryConfig#maxDuration()}.
         *
         * @param value a positive duration
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalArgumentException when {@code value} is zero or negative
         * @throws IllegalStateException when already set
         */
        public Builder maxDuration(Duration value) {
            Preconditions.unset(maxDuration, "maxDuration");
            maxDuration = Preconditions.positive(value, "maxDuration");
            return this;
        }

        /**
         * Sets {@link RetryConfig#baseDelay()}.
         *
         * @param value a positive duration
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalArgumentException when {@code value} is zero or negative
         * @throws IllegalStateException when already set
         */
        public Builder baseDelay(Duration value) {
            Preconditions.unset(baseDelay, "baseDelay");
            baseDelay = Preconditions.positive(value, "baseDelay");
            return this;
        }

        /**
         * Sets {@link RetryConfig#maxDelay()}.
         *
         * @param value a positive duration, not shorter than the base delay
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalArgumentException when {@code value} is zero or negative
         * @throws IllegalStateException when already set
         */
        public Builder maxDelay(Duration value) {
            Preconditions.unset(maxDelay, "maxDelay");
            maxDelay = Preconditions.positive(value, "maxDelay");
            return this;
        }

        /**
         * Sets {@link RetryConfig#maxRetryAfter()}; zero means a {@code Retry-After} is never waited.
         *
         * @param value a duration, not negative
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalArgumentException when {@code value} is negative
         * @throws IllegalStateException when already set
         */
        public Builder maxRetryAfter(Duration value) {
            Preconditions.unset(maxRetryAfter, "maxRetryAfter");
            maxRetryAfter = Preconditions.notNegative(value, "maxRetryAfter");
            return this;
        }

        /**
         * Sets {@link RetryConfig#retryableStatuses()}, replacing the default set.
         *
         * @param statuses HTTP statuses from 400 to 599; may be empty (then only I/O errors are retried)
         * @return this builder
         * @throws NullPointerException when {@code statuses} or one of them is null
         * @throws IllegalArgumentException when a status is outside 400..599
         * @throws IllegalStateException when already set
         */
        public Builder retryableStatuses(Set<Integer> statuses) {
            Preconditions.unset(retryableStatuses, "retryableStatuses");
            Preconditions.notNull(statuses, "retryableStatuses");
            for (Integer s : statuses) {
                Preconditions.notNull(s, "retryable status");
                Preconditions.argument(s >= 400 && s <= 599, "a retryable status is between 400 and 599, got %d", s);
            }
            retryableStatuses = Set.copyOf(statuses);
            return this;
        }

        /**
         * Validates the options together and builds the configuration.
         *
         * @return a new immutable configuration
         * @throws IllegalArgumentException when the max delay is shorter than the base delay
         */
        public RetryConfig build() {
            RetryConfig config = new RetryConfig(this);
            Preconditions.argument(config.maxDelay.compareTo(config.baseDelay) >= 0,
                    "maxDelay (%s) must not be shorter than baseDelay (%s)", config.maxDelay, config.baseDelay);
            return config;
        }
    }
}
