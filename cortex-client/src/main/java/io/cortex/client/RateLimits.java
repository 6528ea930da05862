package io.cortex.client;

/**
 * A key's rate limit figures: from the {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} headers of an answer (which do not state the window: 0 there), or from
 * {@link RateLimitStatus#limits()}.
 *
 * @param limit calls allowed per window
 * @param remaining calls left in the current window
 * @param resetSeconds seconds until the window resets
 * @param windowSeconds the length of the window in seconds, 0 when unknown
 */
public record RateLimits(long limit, long remaining, long resetSeconds, long windowSeconds) {}
