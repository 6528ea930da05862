package io.cortex.server.internal;

import io.cortex.server.ApiKeys;
import io.cortex.server.RateLimit;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per API key, in exact integer arithmetic: a bucket holds
 * {@code limit × windowMillis} units, gains {@code limit} units per millisecond of clock time and
 * spends {@code windowMillis} units per request. Time comes from the injected clock, so a test
 * refills a bucket by advancing its clock. Thread-safe.
 */
public final class RateLimiter {
    private final RateLimit limit;
    private final Clock clock;
    private final ApiKeys keys;
    private final long windowMillis;
    private final long capacity;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * What one request was allowed, with what the headers say.
     *
     * @param allowed whether the request may proceed
     * @param limit requests per window ({@code RateLimit-Limit})
     * @param remaining requests left now ({@code RateLimit-Remaining})
     * @param resetSeconds seconds until the bucket is full again ({@code RateLimit-Reset})
     * @param retryAfterSeconds when refused, seconds until one request is allowed ({@code Retry-After}); else 0
     * @param windowSeconds the refill window in seconds
     */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds,
            long windowSeconds) {}

    /**
     * Buckets of {@code limit}, for the keys of {@code keys}.
     *
     * @param limit the limit of every key; not unlimited
     * @param clock the clock
     * @param keys the keys, to forget the buckets of revoked keys
     */
    public RateLimiter(RateLimit limit, Clock clock, ApiKeys keys) {
        if (limit.isUnlimited()) {
            throw new IllegalArgumentException("an unlimited rate limit needs no rate limiter");
        }
        this.limit = limit;
        this.clock = clock;
        this.keys = keys;
        this.windowMillis = limit.window().toMillis();
        this.capacity = limit.limit() * windowMillis;
    }

    /**
     * Takes one request from the key's bucket, if it holds one.
     *
     * @param keyId the key
     * @return the decision
     */
    public Decision acquire(String keyId) {
        return bucket(keyId).take(clock.millis());
    }

    private Bucket bucket(String keyId) {
        Bucket b = buckets.get(keyId);
        if (b != null) {
            return b;
        }
        if (buckets.size() > 2 * keys.size() + 64) {
            buckets.keySet().removeIf(id -> keys.find(id).isEmpty());
        }
        return buckets.computeIfAbsent(keyId, id -> new Bucket(clock.millis()));
    }

    private final class Bucket {
        private long units = capacity;
        private long last;

        Bucket(long now) {
            this.last = now;
        }

        synchronized Decision take(long now) {
            if (now > last) {
                long elapsed = Math.min(now - last, windowMillis);
                units = Math.min(capacity, units + elapsed * limit.limit());
            }
            last = now;
            boolean allowed = units >= windowMillis;
            if (allowed) {
                units -= windowMillis;
            }
            long resetMillis = ceilDiv(capacity - units, limit.limit());
            long retryAfter = allowed ? 0 : Math.max(1, ceilDiv(ceilDiv(windowMillis - units, limit.limit()), 1000));
            return new Decision(allowed, limit.limit(), units / windowMillis, ceilDiv(resetMillis, 1000),
                    retryAfter, ceilDiv(windowMillis, 1000));
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
