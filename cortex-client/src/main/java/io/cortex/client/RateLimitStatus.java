package io.cortex.client;

import java.util.Optional;

/**
 * The rate limit of the calling key, as {@code GET /api/system/rate-limits} states it.
 *
 * @param key the key's id (never the key itself)
 * @param unlimited true when the key has no limit (then the figures are 0)
 * @param limit calls allowed per window
 * @param remaining calls left in the current window
 * @param resetSeconds seconds until the window resets
 * @param windowSeconds the length of the window in seconds
 */
public record RateLimitStatus(String key, boolean unlimited, long limit, long remaining, long resetSeconds,
        long windowSeconds) {
    /**
     * The figures, unless the key is unlimited.
     *
     * @return the limits
     */
    public Optional<RateLimits> limits() {
        return unlimited ? Optional.empty() : Optional.of(new RateLimits(limit, remaining, resetSeconds, windowSeconds));
    }
}
