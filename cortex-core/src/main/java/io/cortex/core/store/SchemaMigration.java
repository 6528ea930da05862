package io.cortex.core.store;

import java.time.Instant;

/**
 * One migration applied to a durable store's schema, as its migration tool recorded it
 * ({@code GET /api/system/logs?service=upgrade}, {@code GET /api/system/database/migrations}).
 *
 * @param rank the order it was applied in, from 1
 * @param version the schema version it brought, e.g. {@code "1"}; null for a repeatable migration
 * @param description what it does, e.g. {@code "jobs events outbox leases"}
 * @param type how it ran, e.g. {@code SQL}, {@code BASELINE}
 * @param script the script, e.g. {@code V1__jobs_events_outbox_leases.sql}
 * @param installedOn when it was applied
 * @param installedBy the database user that applied it
 * @param executionMillis how long it took
 * @param success whether it succeeded
 */
public record SchemaMigration(int rank, String version, String description, String type, String script, Instant installedOn,
        String installedBy, long executionMillis, boolean success) {}
