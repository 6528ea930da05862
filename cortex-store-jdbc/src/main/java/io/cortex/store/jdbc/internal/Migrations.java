package io.cortex.store.jdbc.internal;

import io.cortex.core.store.StoreException;
import io.cortex.store.jdbc.IncompatibleSchemaException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;

/**
 * The store's schema, kept by Flyway: versioned migrations per database under
 * {@value #LOCATION}{@code <vendor>}, history in {@value #HISTORY_TABLE}, checksums validated at every
 * start. A schema newer than this code knows is refused before anything runs.
 */
public final class Migrations {
    /** Where the migrations are, followed by the dialect's vendor folder. */
    public static final String LOCATION = "classpath:io/cortex/store/jdbc/migration/";
    /** The store's own history table (apart from an application's own Flyway history). */
    public static final String HISTORY_TABLE = "cortex_schema_history";

    private Migrations() {}

    /**
     * Validates the schema and applies pending migrations, on connections of its own.
     *
     * @param schema the schema to keep the tables in, or null for the connection's default
     * @return the schema version now (the latest applied migration)
     * @throws IncompatibleSchemaException when the database holds migrations this code does not know,
     *     or ones whose checksum differs
     * @throws StoreException when the migration itself fails
     */
    public static String migrate(String jdbcUrl, String user, String password, Dialect dialect, String schema) {
        FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(jdbcUrl, user, password) // its own connections: the pool may be smaller than Flyway needs
                .locations(LOCATION + dialect.vendor())
                .table(HISTORY_TABLE)
                .validateMigrationNaming(true)
                // a schema holding other tables (an application's own) but no Cortex history yet: start from 0
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .ignoreMigrationPatterns(new String[0]) // no applied migration is ignored, future ones included
                .cleanDisabled(true);
        if (schema != null) {
            config.schemas(schema).defaultSchema(schema);
        }
        Flyway flyway = config.load();
        try {
            refuseUnknown(flyway.info().all());
            flyway.migrate();
            MigrationInfo current = flyway.info().current();
            return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
        } catch (FlywayValidateException e) {
            String known = known(flyway.info().all());
            throw new IncompatibleSchemaException("the database's Cortex schema does not match the migrations of this "
                    + "Cortex (known up to version " + known + "): " + e.getMessage()
                    + " -- a migration was changed after it was applied; restore it, or repair the history on purpose",
                    List.of(), known, e);
        } catch (FlywayException e) {
            throw new StoreException("migrating the Cortex schema failed: " + e.getMessage(), e);
        }
    }

    private static void refuseUnknown(MigrationInfo[] all) {
        List<String> unknown = new ArrayList<>();
        for (MigrationInfo m : all) {
            if (m.getVersion() != null && m.getState().isApplied() && !m.getState().isResolved()
                    && !m.getType().isSynthetic()) {
                unknown.add(m.getVersion().getVersion());
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        String known = known(all);
        throw new IncompatibleSchemaException("the database's Cortex schema has version(s) " + String.join(", ", unknown)
                + " applied, which this Cortex does not know (it knows versions up to " + known + "); a newer Cortex "
                + "migrated this database: run that version, or point this one at another database or schema. "
                + "Refusing to start rather than write to a schema it does not understand.", unknown, known, null);
    }

    private static String known(MigrationInfo[] all) {
        MigrationVersion max = null;
        for (MigrationInfo m : all) {
            if (m.getVersion() != null && m.getState().isResolved() && !m.getType().isSynthetic()
                    && (max == null || m.getVersion().compareTo(max) > 0)) {
                max = m.getVersion();
            }
        }
        return max == null ? "none" : max.getVersion();
    }
}
