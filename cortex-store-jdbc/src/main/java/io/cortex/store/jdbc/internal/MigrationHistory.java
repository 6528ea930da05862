package io.cortex.store.jdbc.internal;

import io.cortex.core.store.SchemaMigration;
import io.cortex.core.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads the migrations Flyway applied to the store's schema from its history table
 * ({@value Migrations#HISTORY_TABLE}, in Flyway's documented layout), oldest first. One query on one
 * pooled connection: unlike Flyway's own {@code info()}, it needs no second connection from a pool
 * that may have only one.
 */
public final class MigrationHistory {
    private MigrationHistory() {}

    /**
     * The applied migrations.
     *
     * @param pool the store's connections
     * @param dialect the database
     * @param schema the store's schema, or null for the connection's default
     * @return the migrations in the order they were applied
     * @throws StoreException when the database cannot be reached or has no history table
     */
    public static List<SchemaMigration> read(DataSource pool, Dialect dialect, String schema) {
        String table = (schema == null ? "" : Dialect.quote(schema) + ".") + Dialect.quote(Migrations.HISTORY_TABLE);
        String sql = "SELECT \"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"installed_by\", "
                + "\"installed_on\", \"execution_time\", \"success\" FROM " + table + " ORDER BY \"installed_rank\"";
        List<SchemaMigration> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Timestamp on = rs.getTimestamp(7);
                out.add(new SchemaMigration(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        on == null ? null : on.toInstant(), rs.getString(6), rs.getLong(8), rs.getBoolean(9)));
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the schema history " + table + " in " + dialect.vendor() + ": "
                    + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        }
        return out;
    }
}
