package io.cortex.core.event;

/**
 * Receives the engine's events, off the engine's own threads, in order for each job. A listener that
 * throws is logged and does not stop delivery to others.
 */
@FunctionalInterface
public interface CortexListener {
    /** One event. */
    void onEvent(CortexEvent event);
}
