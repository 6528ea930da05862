package io.cortex.core.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How much room a durable store's data takes, and where it lives ({@code GET /api/system/storage}).
 *
 * @param kind what holds the data: {@code h2} (an embedded file), {@code h2-memory}, {@code postgresql}
 * @param location where: the data file's path, or the database URL (passwords removed) and schema
 * @param usedBytes the bytes the store's data takes, measured as {@code measuredBy} says
 * @param measuredBy how {@code usedBytes} was measured, e.g. {@code "size of /var/lib/cortex/jobs.mv.db"}
 * @param databaseBytes the size of the whole database the store lives in (PostgreSQL's
 *     {@code pg_database_size}), or -1 when it is the same as {@code usedBytes} or unknown
 * @param tables the bytes each of the store's tables takes (indexes and TOAST included), by name
 * @param dataFile the file holding the data when it is on this machine (H2), else null
 */
public record StorageUsage(String kind, String location, long usedBytes, String measuredBy, long databaseBytes,
        Map<String, Long> tables, Path dataFile) {
    /**
     * Copies {@code tables}.
     *
     * @throws NullPointerException when {@code tables} is null
     */
    public StorageUsage {
        tables = Map.copyOf(tables);
    }

    /**
     * The file holding the data, when it is on this machine.
     *
     * @return the file, or empty for a database server
     */
    public Optional<Path> localFile() {
        return Optional.ofNullable(dataFile);
    }
}
