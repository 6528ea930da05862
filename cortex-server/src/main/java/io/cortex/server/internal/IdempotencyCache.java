package io.cortex.server.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers which job each idempotency key created, bounded by count and by age (oldest dropped
 * first). The first request with a key claims it and submits; concurrent requests with the same key
 * wait for the claim's result, so one key makes exactly one job. Thread-safe.
 */
public final class IdempotencyCache {
    private final int maxKeys;
    private final Duration maxAge;
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>();

    /** One remembered key: the fingerprint of its request and the job id it produced (when done). */
    public static final class Slot {
        private final String fingerprint;
        private final Instant createdAt;
        private final CompletableFuture<String> result = new CompletableFuture<>();

        Slot(String fingerprint, Instant createdAt) {
            this.fingerprint = fingerprint;
            this.createdAt = createdAt;
        }

        /**
         * The fingerprint of the request that claimed the key.
         *
         * @return a hex SHA-256
         */
        public String fingerprint() {
            return fingerprint;
        }

        /**
         * The job id, once the claiming request submitted it; exceptional when it failed.
         *
         * @return the future id
         */
        public CompletableFuture<String> result() {
            return result;
        }
    }

    /**
     * The slot of a key and whether this call claimed it.
     *
     * @param slot the slot
     * @param owner true when the caller must submit and then {@link #complete} or {@link #release}
     */
    public record Claim(Slot slot, boolean owner) {}

    /**
     * A cache of at most {@code maxKeys} keys, each kept at most {@code maxAge}.
     *
     * @param maxKeys at least 1
     * @param maxAge positive
     */
    public IdempotencyCache(int maxKeys, Duration maxAge) {
        this.maxKeys = maxKeys;
        this.maxAge = maxAge;
    }

    /**
     * The slot of {@code key}: an existing one (not expired), or a new one claimed by the caller.
     *
     * @param key the idempotency key, scoped by the caller to its API key
     * @param fingerprint the fingerprint of this request
     * @param now the current time
     * @return the claim
     */
    public synchronized Claim claim(String key, String fingerprint, Instant now) {
        evictExpired(now);
        Slot existing = slots.get(key);
        if (existing != null) {
            return new Claim(existing, false);
        }
        Slot slot = new Slot(fingerprint, now);
        slots.put(key, slot);
        Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator();
        while (slots.size() > maxKeys && it.hasNext()) {
            it.next();
            it.remove();
        }
        return new Claim(slot, true);
    }

    /**
     * Records the job a claimed key produced.
     *
     * @param slot the claimed slot
     * @param jobId the job id
     */
    public void complete(Slot slot, String jobId) {
        slot.result.complete(jobId);
    }

    /**
     * Forgets a key whose request failed (or whose job is gone), so the next request with it starts
     * afresh; waiters see the failure and claim again.
     *
     * @param key the key
     * @param slot the slot to forget, only if it is still the key's
     * @param failure why, or null
     */
    public void release(String key, Slot slot, Throwable failure) {
        synchronized (this) {
            if (slots.get(key) == slot) {
                slots.remove(key);
            }
        }
        slot.result.completeExceptionally(failure != null ? failure : new IllegalStateException("released"));
    }

    /**
     * How many keys are remembered.
     *
     * @return the count
     */
    public synchronized int size() {
        return slots.size();
    }

    private void evictExpired(Instant now) {
        Instant oldest = now.minus(maxAge);
        Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator();
        while (it.hasNext()) {
            Slot s = it.next().getValue();
            if (s.createdAt.isAfter(oldest)) {
                break;
            }
            it.remove();
        }
    }
}
