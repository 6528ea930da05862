package io.cortex.core.store;

import java.time.Instant;
import java.util.List;

/**
 * What {@link DatabaseAdmin#optimize()} did.
 *
 * @param startedAt when it started
 * @param statements the statements run, in order
 * @param durationMillis how long they took together
 */
public record OptimizeReport(Instant startedAt, List<String> statements, long durationMillis) {
    /** Copies the statements. */
    public OptimizeReport {
        statements = List.copyOf(statements);
    }
}
