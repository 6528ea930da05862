package io.cortex.core.util;

import java.util.concurrent.locks.LockSupport;

/** Helpers for the engine's and the stores' own threads. */
public final class Threads {
    private Threads() {}

    /**
     * Wakes {@code thread} (parked in {@link LockSupport}) so that it sees it is asked to stop, and
     * waits up to {@code timeoutMillis} for it to end. An interrupt of the caller ends the wait and
     * stays set.
     *
     * @return whether the thread ended
     * @throws NullPointerException when {@code thread} is null
     */
    public static boolean wakeAndJoin(Thread thread, long timeoutMillis) {
        Preconditions.notNull(thread, "thread");
        LockSupport.unpark(thread);
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
