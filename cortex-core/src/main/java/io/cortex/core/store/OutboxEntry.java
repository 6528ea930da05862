package io.cortex.core.store;

import io.cortex.core.event.CortexEvent;

/**
 * An event waiting to be published, with its position in the store's outbox.
 *
 * @param sequence unique in the outbox, increasing in each job's version order
 * @param event the event
 */
public record OutboxEntry(long sequence, CortexEvent event) {}
