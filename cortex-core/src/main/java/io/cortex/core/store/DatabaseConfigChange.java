package io.cortex.core.store;

import io.cortex.core.util.Preconditions;

/**
 * Settings to change in a {@link DatabaseConfig}: a null component keeps the setting as it is. The
 * components are named and measured as in the operator guide's {@code PUT /api/system/database/config}
 * body, so that body reads as one: {@code {"poolSize":20,"idleTimeout":30000,"connectionTimeout":5000}}.
 *
 * @param poolSize the most connections the pool opens, or null
 * @param minimumIdle idle connections the pool keeps open, or null
 * @param idleTimeout milliseconds an idle connection above the minimum is kept, or null
 * @param connectionTimeout milliseconds a caller waits for a connection, or null
 * @param slowQueryThreshold milliseconds from which a statement is recorded as slow, or null
 */
public record DatabaseConfigChange(Integer poolSize, Integer minimumIdle, Long idleTimeout, Long connectionTimeout,
        Long slowQueryThreshold) {
    /**
     * Validates each setting given against the ranges of {@link DatabaseConfig}.
     *
     * @throws IllegalArgumentException when a value is out of its range
     */
    public DatabaseConfigChange {
        check(poolSize == null ? 1 : poolSize, minimumIdle == null ? 0 : minimumIdle, idleTimeout == null ? 0 : idleTimeout,
                connectionTimeout == null ? DatabaseConfig.MIN_CONNECTION_TIMEOUT : connectionTimeout,
                slowQueryThreshold == null ? 0 : slowQueryThreshold);
    }

    static void check(int poolSize, int minimumIdle, long idleTimeout, long connectionTimeout, long slowQueryThreshold) {
        Preconditions.argument(poolSize >= 1 && poolSize <= DatabaseConfig.MAX_POOL_SIZE,
                "poolSize must be between 1 and %d, got %d", DatabaseConfig.MAX_POOL_SIZE, poolSize);
        Preconditions.argument(minimumIdle >= 0, "minimumIdle must not be negative, got %d", minimumIdle);
        Preconditions.argument(idleTimeout == 0 || idleTimeout >= DatabaseConfig.MIN_IDLE_TIMEOUT,
                "idleTimeout must be 0 (never) or at least %d ms, got %d", DatabaseConfig.MIN_IDLE_TIMEOUT, idleTimeout);
        Preconditions.argument(connectionTimeout >= DatabaseConfig.MIN_CONNECTION_TIMEOUT,
                "connectionTimeout must be at least %d ms, got %d", DatabaseConfig.MIN_CONNECTION_TIMEOUT, connectionTimeout);
        Preconditions.argument(slowQueryThreshold >= 0, "slowQueryThreshold must not be negative, got %d", slowQueryThreshold);
    }

    /** A change that changes nothing; add settings with the {@code with…} methods. */
    public static DatabaseConfigChange none() {
        return new DatabaseConfigChange(null, null, null, null, null);
    }

    /** A copy that also sets the pool size. */
    public DatabaseConfigChange withPoolSize(int value) {
        return new DatabaseConfigChange(value, minimumIdle, idleTimeout, connectionTimeout, slowQueryThreshold);
    }

    /** A copy that also sets the minimum of idle connections. */
    public DatabaseConfigChange withMinimumIdle(int value) {
        return new DatabaseConfigChange(poolSize, value, idleTimeout, connectionTimeout, slowQueryThreshold);
    }

    /** A copy that also sets the idle timeout, in milliseconds. */
    public DatabaseConfigChange withIdleTimeout(long millis) {
        return new DatabaseConfigChange(poolSize, minimumIdle, millis, connectionTimeout, slowQueryThreshold);
    }

    /** A copy that also sets the connection timeout, in milliseconds. */
    public DatabaseConfigChange withConnectionTimeout(long millis) {
        return new DatabaseConfigChange(poolSize, minimumIdle, idleTimeout, millis, slowQueryThreshold);
    }

    /** A copy that also sets the slow-query threshold, in milliseconds. */
    public DatabaseConfigChange withSlowQueryThreshold(long millis) {
        return new DatabaseConfigChange(poolSize, minimumIdle, idleTimeout, connectionTimeout, millis);
    }

    /**
     * {@code current} with the settings this change sets. A pool that kept all its connections open
     * ({@code minimumIdle == poolSize}) keeps doing so when only its size changes; a minimum above a
     * smaller new pool size comes down to it.
     *
     * @throws NullPointerException when {@code current} is null
     * @throws IllegalArgumentException when an explicit minimum idle exceeds the resulting pool size
     */
    public DatabaseConfig applyTo(DatabaseConfig current) {
        Preconditions.notNull(current, "current");
        int size = poolSize != null ? poolSize : current.poolSize();
        int idle;
        if (minimumIdle != null) {
            idle = minimumIdle;
        } else if (current.minimumIdle() == current.poolSize()) {
            idle = size;
        } else {
            idle = Math.min(current.minimumIdle(), size);
        }
        return new DatabaseConfig(size, idle, idleTimeout != null ? idleTimeout : current.idleTimeout(),
                connectionTimeout != null ? connectionTimeout : current.connectionTimeout(),
                slowQueryThreshold != null ? slowQueryThreshold : current.slowQueryThreshold());
    }
}
