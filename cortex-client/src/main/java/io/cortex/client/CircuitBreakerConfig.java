package io.cortex.client;

import io.cortex.client.internal.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * An optional circuit breaker in front of every call of one client: after
 * {@link #failureThreshold()} failures in a row (I/O errors and 5xx answers; a 4xx is the caller's
 * problem and counts as the server being alive), the circuit opens and calls fail at once with
 * {@link CircuitOpenException}, without touching the network, for {@link #openDelay()}. Then it lets
 * trial calls through (half-open); {@link #successThreshold()} successes in a row close it, one failure
 * opens it again. The breaker counts attempts, so a call retried three times counts three.
 *
 * <p>Off unless set on {@link CortexClient.Builder#circuitBreaker(CircuitBreakerConfig)}. Defaults
 * ({@link #ofDefaults()}): 5 failures, 30 s open, 1 success to close. The open delay is measured on
 * the system clock (it is Failsafe's {@code CircuitBreaker}).
 */
public final class CircuitBreakerConfig {
    /** Default {@link #failureThreshold()}. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    /** Default {@link #openDelay()}. */
    public static final Duration DEFAULT_OPEN_DELAY = Duration.ofSeconds(30);
    /** Default {@link #successThreshold()}. */
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;

    private static final CircuitBreakerConfig DEFAULTS = builder().build();

    private final int failureThreshold;
    private final Duration openDelay;
    private final int successThreshold;

    private CircuitBreakerConfig(Builder b) {
        failureThreshold = b.failureThreshold == null ? DEFAULT_FAILURE_THRESHOLD : b.failureThreshold;
        openDelay = b.openDelay == null ? DEFAULT_OPEN_DELAY : b.openDelay;
        successThreshold = b.successThreshold == null ? DEFAULT_SUCCESS_THRESHOLD : b.successThreshold;
    }

    /**
     * The defaults described on this class.
     *
     * @return the default configuration
     */
    public static CircuitBreakerConfig ofDefaults() {
        return DEFAULTS;
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
     * Failures in a row that open the circuit.
     *
     * @return at least 1
     */
    public int failureThreshold() {
        return failureThreshold;
    }

    /**
     * How long the circuit stays open before it lets a trial call through.
     *
     * @return a positive duration
     */
    public Duration openDelay() {
        return openDelay;
    }

    /**
     * Successful trial calls in a row that close a half-open circuit.
     *
     * @return at least 1
     */
    public int successThreshold() {
        return successThreshold;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CircuitBreakerConfig c && c.failureThreshold == failureThreshold
                && c.openDelay.equals(openDelay) && c.successThreshold == successThreshold;
    }

    @Override
    public int hashCode() {
        return Objects.hash(failureThreshold, openDelay, successThreshold);
    }

    @Override
    public String toString() {
        return "CircuitBreakerConfig{failureThreshold=" + failureThreshold + ", openDelay=" + openDelay
                + ", successThreshold=" + successThreshold + "}";
    }

    /**
     * Builds a {@link CircuitBreakerConfig}. Each option may be set once: setting it again is an
     * {@link IllegalStateException} that says what it was already set to. Not thread-safe.
     */
    public static final class Builder {
        private Integer failureThreshold;
        private Duration openDelay;
        private Integer successThreshold;

        private Builder() {}

        /**
         * Sets {@link CircuitBreakerConfig#failureThreshold()}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code value} is below 1
         * @throws IllegalStateException when already set
         */
        public Builder failureThreshold(int value) {
            Preconditions.unset(failureThreshold, "failureThreshold");
            Preconditions.argument(value >= 1, "failureThreshold must be at least 1, got %d", value);
            failureThreshold = value;
            return this;
        }

        /**
         * Sets {@link CircuitBreakerConfig#openDelay()}.
         *
         * @param value a positive duration
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalArgumentException when {@code value} is zero or negative
         * @throws IllegalStateException when already set
         */
        public Builder openDelay(Duration value) {
            Preconditions.unset(openDelay, "openDelay");
            openDelay = Preconditions.positive(value, "openDelay");
            return this;
        }

        /**
         * Sets {@link CircuitBreakerConfig#successThreshold()}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code value} is below 1
         * @throws IllegalStateException when already set
         */
        public Builder successThreshold(int value) {
            Preconditions.unset(successThreshold, "successThreshold");
            Preconditions.argument(value >= 1, "successThreshold must be at least 1, got %d", value);
            successThreshold = value;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return a new immutable configuration
         */
        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(this);
        }
    }
}
