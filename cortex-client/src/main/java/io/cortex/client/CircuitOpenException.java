package io.cortex.client;

import java.time.Duration;

/**
 * The client's circuit breaker is open (see {@link CircuitBreakerConfig}): recent calls failed in a row,
 * so this one was refused without touching the network. Not retried.
 */
public final class CircuitOpenException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    private final transient Duration remainingDelay;

    /**
     * Creates the exception.
     *
     * @param details the call (status 0)
     * @param remainingDelay how long until the circuit lets a trial call through
     * @throws NullPointerException when {@code details} is null
     */
    public CircuitOpenException(ErrorDetails details, Duration remainingDelay) {
        super(details, "circuit breaker open, calls refused for another "
                + (remainingDelay == null ? Duration.ZERO : remainingDelay).toMillis() + " ms", null);
        this.remainingDelay = remainingDelay == null ? Duration.ZERO : remainingDelay;
    }

    /**
     * How long until the circuit lets a trial call through, when the exception was made.
     *
     * @return the remaining open time, zero or more
     */
    public Duration remainingDelay() {
        return remainingDelay;
    }
}
