package io.cortex.client.internal;

import io.cortex.client.Sleeper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The sleeper that really waits; asynchronous waits use the JDK's shared delayed executor. */
public enum SystemSleeper implements Sleeper {
    /** The one instance. */
    INSTANCE;

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero() && !duration.isNegative()) {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        }
    }

    @Override
    public CompletableFuture<Void> sleepAsync(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public String toString() {
        return "Sleeper.system()";
    }
}
