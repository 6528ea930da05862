package io.cortex.client;

/**
 * Told of every retry of every call of one client, just before the client waits for it: for metrics,
 * logs or tests. Called on the thread that made the failed attempt; it must be quick and must not
 * block. An exception it throws is logged and ignored: a listener cannot break a call.
 */
@FunctionalInterface
public interface RetryListener {
    /**
     * A retry is about to happen.
     *
     * @param event which call, which attempt failed and how, and the wait before the next
     */
    void onRetry(RetryEvent event);
}
