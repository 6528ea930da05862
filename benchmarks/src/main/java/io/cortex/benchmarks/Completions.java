package io.cortex.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the completions of one submitting thread's jobs and lets that thread wait for a batch
 * without spinning: every system under test reports a finished job with {@link #completed()} from
 * its own completion hook (a Cortex listener on SUCCEEDED events, a Quartz JobListener, a JobRunr
 * state filter, the runnable itself for the bare executor), so every system pays the same
 * detection cost: one atomic increment per job and one unpark per batch.
 */
final class Completions {
    private final AtomicLong done = new AtomicLong();
    private volatile long target = Long.MAX_VALUE;
    private volatile Thread owner;

    /** Called by the system under test, on whatever thread it finishes a job. */
    void completed() {
        long n = done.incrementAndGet();
        if (n == target) {
            Thread t = owner;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Announces a batch of {@code count} jobs before submitting them; returns the count to await. */
    long expect(int count) {
        owner = Thread.currentThread();
        long t = done.get() + count;
        // jobs of this thread's earlier batches have all completed (await returned), so done is exact
        target = t;
        return t;
    }

    /**
     * Waits until {@code until} jobs completed, parking (1 ms at most, woken at once by the last
     * completion).
     *
     * @throws IllegalStateException when nothing completes for {@code timeoutMillis}
     */
    void await(long until, long timeoutMillis) {
        long last = done.get();
        long lastProgress = System.nanoTime();
        while (true) {
            long n = done.get();
            if (n >= until) {
                return;
            }
            if (n != last) {
                last = n;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                throw new IllegalStateException("no job completed for " + timeoutMillis + " ms: " + n + " of " + until);
            }
            LockSupport.parkNanos(this, 1_000_000L);
        }
    }

    long done() {
        return done.get();
    }
}
