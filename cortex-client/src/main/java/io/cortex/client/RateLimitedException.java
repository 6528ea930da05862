package io.cortex.client;

import java.time.Duration;
import java.util.Optional;

/**
 * HTTP 429: the API key made too many calls. The client retries it, waiting what {@code Retry-After}
 * says, as long as the wait is within {@link RetryConfig#maxRetryAfter()} and the call's time budget;
 * this exception reaches the caller when it did not (or could not) wait, and says how long to wait
 * before calling again. Polling is the usual cause: a webhook on {@code job.status.changed} replaces
 * it.
 */
public final class RateLimitedException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;
    private final transient RateLimits rateLimits;

    /**
     * Creates the exception.
     *
     * @param details the call and the server's answer
     * @param retryAfter the wait the server asked for, or null when it named none
     * @param rateLimits the {@code RateLimit-*} headers of the answer, or null when absent
     * @throws NullPointerException when {@code details} is null
     */
    public RateLimitedException(ErrorDetails details, Duration retryAfter, RateLimits rateLimits) {
        super(details, "rate limited" + (retryAfter == null ? "" : ", retry after " + retryAfter.toSeconds() + " s"),
                null);
        this.retryAfter = retryAfter;
        this.rateLimits = rateLimits;
    }

    /**
     * How long the server asked to wait ({@code Retry-After}, as delta-seconds or HTTP-date).
     *
     * @return the wait, if the server named one
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The key's limits as the answer's {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
     * {@code RateLimit-Reset} headers stated them.
     *
     * @return the limits, if the headers were there
     */
    public Optional<RateLimits> rateLimits() {
        return Optional.ofNullable(rateLimits);
    }
}
