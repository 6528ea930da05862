package io.cortex.core.store;

import java.time.Instant;

/**
 * A statement that took at least the slow-query threshold. The statement is the SQL with its
 * placeholders; parameter values are never recorded.
 *
 * @param at when it finished
 * @param statement the SQL, e.g. {@code UPDATE cortex_job SET … WHERE id = ? AND version = ?}
 * @param durationMillis how long it took
 * @param error the error it ended with, or null when it succeeded
 */
public record SlowQuery(Instant at, String statement, long durationMillis, String error) {}
