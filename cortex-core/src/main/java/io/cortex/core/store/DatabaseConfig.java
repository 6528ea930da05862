package io.cortex.core.store;

import io.cortex.core.util.Preconditions;

/**
 * A database store's pool and slow-query settings. Times are in milliseconds, as in the operator
 * guide's {@code PUT /api/system/database/config} body ({@code {"poolSize":20,"idleTimeout":30000,
 * "connectionTimeout":5000}}).
 *
 * @param poolSize the most connections the pool opens (1 to {@value #MAX_POOL_SIZE})
 * @param minimumIdle idle connections the pool keeps open (0 to {@code poolSize}); idle connections
 *     above it are closed after {@code idleTimeout}
 * @param idleTimeout how long a connection above {@code minimumIdle} may sit idle before it is closed:
 *     0 (never) or at least {@value #MIN_IDLE_TIMEOUT} ms
 * @param connectionTimeout how long a caller waits for a connection before the store fails the call:
 *     at least {@value #MIN_CONNECTION_TIMEOUT} ms
 * @param slowQueryThreshold statements taking at least this long are recorded as slow (0 records all)
 */
public record DatabaseConfig(int poolSize, int minimumIdle, long idleTimeout, long connectionTimeout,
        long slowQueryThreshold) {
    /** The largest pool. */
    public static final int MAX_POOL_SIZE = 1000;
    /** The shortest idle timeout other than 0 (HikariCP's floor). */
    public static final long MIN_IDLE_TIMEOUT = 10_000;
    /** The shortest connection timeout (HikariCP's floor). */
    public static final long MIN_CONNECTION_TIMEOUT = 250;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a value is out of its range, or minimum idle exceeds the pool size
     */
    public DatabaseConfig {
        DatabaseConfigChange.check(poolSize, minimumIdle, idleTimeout, connectionTimeout, slowQueryThreshold);
        Preconditions.argument(minimumIdle <= poolSize, "minimumIdle must not exceed poolSize (%d), got %d", poolSize,
                minimumIdle);
    }
}
