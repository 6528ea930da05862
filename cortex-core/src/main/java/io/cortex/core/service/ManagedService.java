package io.cortex.core.service;

/**
 * Background work that runs beside the engine and can be seen, stopped and restarted by an
 * operator (e.g. the webhook dispatcher). Register it with {@code Cortex.register(service)}.
 */
public interface ManagedService {
    /** A unique, stable name, e.g. {@code webhook-dispatcher}. */
    String name();

    /** What it does, in one line. */
    String description();

    /** Starts the work; called again after a stop on restart. */
    void start();

    /** Stops the work; must be idempotent. */
    void stop();

    /** True while its work runs. */
    boolean isRunning();
}
