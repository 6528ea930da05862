package io.cortex.server.internal;

import io.cortex.core.Cortex;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.store.DatabaseAdmin;
import io.cortex.core.store.InMemoryJobStore;
import io.cortex.core.store.SchemaMigration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/system/logs?service=upgrade}: the migrations applied to a durable store's schema,
 * shown as operator log records of service {@value #UPGRADE} (sequence = the order applied, level
 * ERROR for a failed one), so the path answers the same shape for every service.
 */
final class UpgradeLog {
    /** The service name of the migration history. */
    static final String UPGRADE = "upgrade";

    private UpgradeLog() {}

    /**
     * The migration history as operator log records of service {@value #UPGRADE}, filtered like the
     * log: {@code GET /api/system/logs?service=upgrade}.
     */
    static List<OperatorLogRecord> records(Cortex cortex, Instant now, String provider, String job,
            OperatorLogRecord.Level minLevel, Instant since, int limit) {
        List<OperatorLogRecord> all = new ArrayList<>();
        if (cortex.store() instanceof DatabaseAdmin admin) {
            for (SchemaMigration m : admin.migrations()) {
                all.add(record(m));
            }
        } else {
            String store = cortex.store() instanceof InMemoryJobStore ? "memory (InMemoryJobStore)"
                    : cortex.store().getClass().getSimpleName();
            all.add(new OperatorLogRecord(0, now, OperatorLogRecord.Level.INFO, UPGRADE, null, null, "NO_DURABLE_STORE",
                    "no schema migrations: this engine keeps its jobs in " + store + ", which has no schema; with a durable store (cortex-store-jdbc) the migrations applied to its "
                    + "schema are listed here"));
        }
        List<OperatorLogRecord> out = all.stream()
                .filter(r -> provider == null && job == null)
                .filter(r -> minLevel == null || r.level().compareTo(minLevel) >= 0)
                .filter(r -> since == null || r.timestamp() == null || !r.timestamp().isBefore(since))
                .toList();
        return out.subList(Math.max(0, out.size() - limit), out.size());
    }

    private static OperatorLogRecord record(SchemaMigration m) {
        // Flyway's own bookkeeping rows (history table or schema created, baseline) have no script
        boolean bookkeeping = m.script() == null || m.script().isEmpty() || m.script().startsWith("<<")
                || "BASELINE".equals(m.type()) || "TABLE".equals(m.type()) || "SCHEMA".equals(m.type());
        String description = m.description() == null ? "" : m.description().replace("<<", "").replace(">>", "").trim();
        String what = bookkeeping ? description + " (" + m.type() + (m.version() == null ? "" : ", version " + m.version()) + ")"
                : "schema migration " + (m.version() == null ? "" : "V" + m.version() + " ") + "'" + description + "' ("
                        + m.script() + ", " + m.type() + ")";
        String by = m.installedBy() == null || m.installedBy().isEmpty() ? "" : " by " + m.installedBy();
        String message = m.success() ? what + " applied" + by + " in " + m.executionMillis() + " ms"
                : what + " FAILED" + by + " after " + m.executionMillis() + " ms; the store refuses to start until it is repaired";
        OperatorLogRecord.Level level = m.success() ? OperatorLogRecord.Level.INFO : OperatorLogRecord.Level.ERROR;
        return new OperatorLogRecord(m.rank(), m.installedOn(), level, UPGRADE, null, null, m.success() ? "SCHEMA_MIGRATED" : "SCHEMA_MIGRATION_FAILED", message);
    }
}
