package io.cortex.client;

import io.cortex.client.internal.SystemSleeper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How the client waits between two attempts of a call. The default, {@link #system()}, really waits;
 * tests inject one that records the waits and returns at once, so that a 30-second {@code Retry-After}
 * is tested in microseconds.
 *
 * <pre>{@code
 * List<Duration> waits = new ArrayList<>();
 * CortexClient client = CortexClient.builder().baseUrl(url).sleeper(waits::add)...build();
 * }</pre>
 */
@FunctionalInterface
public interface Sleeper {
    /**
     * Waits {@code duration} on the calling thread (blocking calls).
     *
     * @param duration how long, never negative
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Waits {@code duration} without holding a thread (asynchronous calls). The default calls
     * {@link #sleep(Duration)} on the calling thread and returns a completed future, which is right for
     * a sleeper that returns at once (a test's); a sleeper that really waits should override it.
     *
     * @param duration how long, never negative
     * @return a future completed when the wait is over
     */
    default CompletableFuture<Void> sleepAsync(Duration duration) {
        try {
            sleep(duration);
            return CompletableFuture.completedFuture(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The sleeper that really waits: {@link Thread#sleep} for blocking calls, a timer (no thread held)
     * for asynchronous ones.
     *
     * @return the system sleeper
     */
    static Sleeper system() {
        return SystemSleeper.INSTANCE;
    }
}
