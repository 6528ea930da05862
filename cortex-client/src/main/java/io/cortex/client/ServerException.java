package io.cortex.client;

import java.time.Duration;
import java.util.Optional;

/**
 * HTTP 5xx: the server failed, is unavailable (503), or does not support the call (501
 * {@code unsupported}). 502, 503 and 504 are retried for idempotent calls (503 after its
 * {@code Retry-After}); this exception reaches the caller when the retries are spent or not allowed.
 */
public final class ServerException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    /**
     * Creates the exception.
     *
     * @param details the call and the server's answer
     * @param retryAfter the wait a 503 asked for, or null
     * @throws NullPointerException when {@code details} is null
     */
    public ServerException(ErrorDetails details, Duration retryAfter) {
        super(details, "server error", null);
        this.retryAfter = retryAfter;
    }

    /**
     * How long a 503 asked to wait ({@code Retry-After}).
     *
     * @return the wait, if the server named one
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
