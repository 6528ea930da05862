package io.cortex.core.store;

import java.util.List;

/**
 * The operator's view of a store's database, as the operator guide's "Database Connection Issues"
 * steps use it: status, connections, slow queries, pool settings, and statistics upkeep. A store
 * backed by a database implements it next to {@link JobStore}; a server serves
 * {@code /api/system/database/…} from {@code engine.store() instanceof DatabaseAdmin admin}.
 *
 * <p>Implementations are thread-safe; no method throws when the database is unreachable except
 * {@link #optimize()} (the status says it is down instead).
 */
public interface DatabaseAdmin {
    /**
     * Whether the database answers, how fast, what it is and where, with the pool's counts
     * ({@code GET /api/system/database/status}).
     *
     * @return the status, checked now
     */
    DatabaseStatus status();

    /**
     * The pool's connections now: active, idle, total, threads waiting for one
     * ({@code GET /api/system/database/connections}).
     *
     * @return the counts
     */
    DatabaseConnections connections();

    /**
     * Statements that took at least {@link DatabaseConfig#slowQueryThreshold()}, newest first, from a
     * bounded ring ({@code GET /api/system/database/slow-queries}).
     *
     * @return the recorded slow statements
     */
    List<SlowQuery> slowQueries();

    /** Forgets the slow statements recorded so far. */
    void clearSlowQueries();

    /**
     * The pool and slow-query settings in force.
     *
     * @return the settings
     */
    DatabaseConfig config();

    /**
     * Applies the settings {@code change} sets and keeps the others
     * ({@code PUT /api/system/database/config}). Pool settings take effect while the store runs: a
     * larger pool grows at once, a smaller one shrinks as connections are returned.
     *
     * @param change the settings to change
     * @return the settings now in force
     * @throws NullPointerException when {@code change} is null
     * @throws IllegalArgumentException when the result is inconsistent (minimum idle above the pool size)
     */
    DatabaseConfig updateConfig(DatabaseConfigChange change);

    /**
     * Refreshes the planner's statistics and reclaims dead rows where the database can
     * ({@code VACUUM ANALYZE} on PostgreSQL, {@code ANALYZE} on H2).
     *
     * @return the statements run and how long they took
     * @throws StoreException when the database refuses or cannot be reached
     */
    OptimizeReport optimize();

    /**
     * How much room the store's data takes and where it lives ({@code GET /api/system/storage}).
     *
     * @return the usage, measured now
     * @throws UnsupportedOperationException when the store cannot tell (the default)
     * @throws StoreException when the database cannot be reached
     */
    default StorageUsage storage() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not report the space it uses");
    }

    /**
     * The migrations applied to the store's schema, oldest first
     * ({@code GET /api/system/logs?service=upgrade}).
     *
     * @return the migrations; empty when the store keeps no schema history (the default)
     * @throws StoreException when the database cannot be reached
     */
    default List<SchemaMigration> migrations() {
        return List.of();
    }
}
