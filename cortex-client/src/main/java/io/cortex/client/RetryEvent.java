package io.cortex.client;

import io.cortex.client.internal.Preconditions;
import java.time.Duration;
import java.util.Optional;

/**
 * One retry about to happen: which call, which attempt failed and how, and how long the client waits
 * before the next one.
 *
 * @param method the HTTP method
 * @param path the request path, without query
 * @param failedAttempt the attempt that failed, from 1
 * @param delay the wait before the next attempt ({@code Retry-After} or backoff)
 * @param failure why the attempt failed
 * @param idempotencyKey the {@code Idempotency-Key} every attempt of the call carries, or null
 */
public record RetryEvent(String method, String path, int failedAttempt, Duration delay, CortexApiException failure,
        String idempotencyKey) {
    /**
     * Validates.
     *
     * @param method the HTTP method
     * @param path the request path, without query
     * @param failedAttempt the attempt that failed, from 1
     * @param delay the wait before the next attempt ({@code Retry-After} or backoff)
     * @param failure why the attempt failed
     * @param idempotencyKey the {@code Idempotency-Key} every attempt of the call carries, or null
     * @throws NullPointerException when a component other than the key is null
     */
    public RetryEvent {
        Preconditions.notNull(method, "method");
        Preconditions.notNull(path, "path");
        Preconditions.notNull(delay, "delay");
        Preconditions.notNull(failure, "failure");
    }

    /**
     * The number of the attempt the client makes next.
     *
     * @return {@code failedAttempt + 1}
     */
    public int nextAttempt() {
        return failedAttempt + 1;
    }

    /**
     * The idempotency key, if the call has one.
     *
     * @return the key
     */
    public Optional<String> idempotencyKeyValue() {
        return Optional.ofNullable(idempotencyKey);
    }
}
