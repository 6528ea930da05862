package io.cortex.store.jdbc.internal;

import io.cortex.core.store.StorageUsage;
import io.cortex.core.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Measures the space a store's data takes: the size of H2's {@code .mv.db} file (H2 tells where it is
 * with {@code DATABASE_PATH()}) with H2's {@code DISK_SPACE_USED} per table, or PostgreSQL's
 * {@code pg_total_relation_size} of each of the store's tables (every table named {@code cortex_…} in
 * its schema, the migration history included) and {@code pg_database_size} of the whole database.
 */
public final class StorageReport {
    /** The store's tables, the migration history among them: every table whose name starts so. */
    static final String TABLE_PREFIX = "cortex_";

    private StorageReport() {}

    /**
     * Measures now.
     *
     * @param pool the store's connections
     * @param dialect the database
     * @param url the database URL, passwords removed
     * @param schema the store's schema, or null for the connection's default
     * @return the usage
     * @throws StoreException when the database cannot be reached or refuses the queries
     */
    public static StorageUsage measure(DataSource pool, Dialect dialect, String url, String schema) {
        try (Connection c = pool.getConnection()) {
            return dialect == Dialect.H2 ? h2(c, url, schema) : postgresql(c, url, schema);
        } catch (SQLException e) {
            throw new StoreException("could not measure the space the store uses in " + dialect.vendor() + " at " + url + ": "
                    + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static StorageUsage h2(Connection c, String url, String schema) throws SQLException {
        String databasePath;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT DATABASE_PATH()")) {
            rs.next();
            databasePath = rs.getString(1);
        }
        Map<String, Long> tables = new LinkedHashMap<>();
        long sum = 0;
        String inSchema = schema != null ? schema : c.getSchema();
        try (PreparedStatement names = c.prepareStatement("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? "
                + "AND TABLE_TYPE = 'BASE TABLE' AND LOWER(TABLE_NAME) LIKE '" + TABLE_PREFIX + "%' ORDER BY TABLE_NAME");
                PreparedStatement used = c.prepareStatement("SELECT DISK_SPACE_USED(?)")) {
            names.setString(1, inSchema);
            try (ResultSet rs = names.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    used.setString(1, Dialect.quote(inSchema) + "." + Dialect.quote(table));
                    try (ResultSet u = used.executeQuery()) {
                        u.next();
                        long bytes = u.getLong(1);
                        tables.put(table.toLowerCase(java.util.Locale.ROOT), bytes);
                        sum += bytes;
                    }
                }
            }
        }
        if (databasePath == null) {
            return new StorageUsage("h2-memory", url, sum, "H2 DISK_SPACE_USED of the store's tables (in memory)", -1, tables, null);
        }
        Path file = Path.of(databasePath + ".mv.db").toAbsolutePath();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new SQLException("H2 names " + file + " as its file, but its size cannot be read: " + e.getMessage(), e);
        }
        return new StorageUsage("h2", file.toString(), size, "size of " + file, -1, tables, file);
    }

    private static StorageUsage postgresql(Connection c, String url, String schema) throws SQLException {
        Map<String, Long> tables = new LinkedHashMap<>();
        long sum = 0;
        String sql = "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = COALESCE(?, current_schema()) AND c.relkind IN ('r', 'p') AND c.relname LIKE '"
                + TABLE_PREFIX.replace("_", "\\_") + "%' ORDER BY c.relname";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getLong(2));
                    sum += rs.getLong(2);
                }
            }
        }
        long database;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            database = rs.getLong(1);
        }
        String where = url + (schema == null ? "" : " (schema " + schema + ")");
        return new StorageUsage("postgresql", where, sum, "pg_total_relation_size of the store's " + tables.size() + " tables",
                database, tables, null);
    }
}
