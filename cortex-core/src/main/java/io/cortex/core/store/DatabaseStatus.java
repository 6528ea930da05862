package io.cortex.core.store;

import java.time.Instant;

/**
 * A database's status, checked at {@code checkedAt}.
 *
 * @param up whether it answered a trivial query
 * @param product the database product, e.g. {@code "PostgreSQL"}
 * @param productVersion its version
 * @param url where it is (passwords removed)
 * @param schema the schema the store uses, or null for the connection's default
 * @param schemaVersion the store's schema version (its latest applied migration)
 * @param shared whether several engines may share the database
 * @param pingMillis how long the trivial query took, -1 when it failed
 * @param message {@code "ok"}, or why the database is down
 * @param connections the pool's counts
 * @param outboxSize events waiting to be delivered, -1 when unknown
 * @param slowQueries slow statements recorded since the start (or the last clear)
 * @param checkedAt when this was checked
 */
public record DatabaseStatus(boolean up, String product, String productVersion, String url, String schema,
        String schemaVersion, boolean shared, long pingMillis, String message, DatabaseConnections connections,
        long outboxSize, long slowQueries, Instant checkedAt) {}
