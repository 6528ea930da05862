package io.cortex.store.jdbc.internal;

import io.cortex.core.util.Preconditions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vacuums the store's PostgreSQL tables when their dead rows pile up, a round at a time on the
 * store's upkeep thread. Each job's update, each delivered outbox row and each job the retention
 * drops leaves a dead row version behind, and the indexes the scheduler, the outbox and the
 * retention read keep pointing at it until a {@code VACUUM} clears it: every read of those tables
 * slows down as they pile up. PostgreSQL's autovacuum clears them only when the server has it on,
 * and by default looks at a table once a minute and only past a fifth of its rows dead; a store
 * doing a thousand jobs a second leaves tens of thousands in that time.
 *
 * <p>A round reads {@code pg_stat_user_tables} for the {@linkplain Dialect#TABLES store's tables}
 * in its schema and runs {@code VACUUM (ANALYZE, SKIP_LOCKED, TRUNCATE false, PARALLEL 0)} on each
 * that holds at least {@link #MIN_DEAD} dead rows and at least a fifth as many dead rows as live ones
 * (autovacuum's own default fraction, looked at far more often); where autovacuum keeps up, a round
 * finds nothing to do. It passes over tables it does not own (PostgreSQL would only warn and skip
 * them) and tables another session is vacuuming ({@code SKIP_LOCKED}), and leaves the empty pages at
 * a table's end in place ({@code TRUNCATE false}): cutting them off takes a lock that stops every
 * write to the table, and the outbox refills them within a second. It vacuums a table's indexes
 * itself ({@code PARALLEL 0}): workers started every second or so cost more than they save on the
 * small tables a store keeps. On a shared database the store runs rounds on one engine at a time.
 * Needs PostgreSQL 13 or later; on an earlier server it says so once and leaves the tables to
 * autovacuum.
 */
public final class PostgresHousekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresHousekeeping.class);
    /** A table with fewer dead rows than this is left alone. */
    public static final long MIN_DEAD = 1_000;
    /** A table is vacuumed when its dead rows reach this fraction of its live ones (and {@link #MIN_DEAD}). */
    static final double DEAD_FRACTION = 0.2;
    static final String CANDIDATES = "SELECT s.schemaname, s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
            + "WHERE s.schemaname = COALESCE(?, current_schema()) AND s.relname = ANY (?) AND pg_has_role(c.relowner, 'USAGE') "
            + "AND s.n_dead_tup >= GREATEST(?, ? * s.n_live_tup) ORDER BY s.n_dead_tup DESC";

    private final DataSource pool;
    private final SlowQueryLog slow;
    private final String schema;
    private boolean told; // whether the autovacuum setting was logged (the upkeep thread only)
    private volatile boolean disabled;

    /**
     * Vacuums the store's tables behind {@code pool}, in {@code schema} (null: the connection's
     * current schema), when {@link #round()} is called.
     *
     * @throws NullPointerException when {@code pool} or {@code slow} is null
     */
    public PostgresHousekeeping(DataSource pool, SlowQueryLog slow, String schema) {
        this.pool = Preconditions.notNull(pool, "pool");
        this.slow = Preconditions.notNull(slow, "slow");
        this.schema = schema;
    }

    /** Whether rounds stopped for good: the server is older than PostgreSQL 13. */
    public boolean stopped() {
        return disabled;
    }

    /**
     * One round: vacuums the tables whose dead rows piled up; returns those it vacuumed (quoted,
     * schema-qualified), not those it found locked. Never throws: a failure is tried again next round.
     */
    public List<String> round() {
        if (disabled) {
            return List.of();
        }
        List<String> vacuumed = new ArrayList<>();
        try (Connection c = pool.getConnection()) {
            if (!told) {
                told = true;
                tellAutovacuum(c);
            }
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CANDIDATES)) {
                ps.setString(1, schema);
                ps.setArray(2, c.createArrayOf("text", Dialect.TABLES.toArray()));
                ps.setLong(3, MIN_DEAD);
                ps.setDouble(4, DEAD_FRACTION);
                try (ResultSet rs = slow.timed(CANDIDATES, ps::executeQuery)) {
                    while (rs.next()) {
                        tables.add(Dialect.quote(rs.getString(1)) + "." + Dialect.quote(rs.getString(2)));
                    }
                }
            }
            try (Statement st = c.createStatement()) { // the pool's connections commit each statement: VACUUM needs that
                for (String table : tables) {
                    String sql = "VACUUM (ANALYZE, SKIP_LOCKED, TRUNCATE false, PARALLEL 0) " + table;
                    slow.timed(sql, () -> st.execute(sql));
                    SQLWarning skipped = st.getWarnings(); // a table locked by another session, or owned by another role
                    st.clearWarnings();
                    if (skipped == null) {
                        vacuumed.add(table);
                    } else {
                        LOG.debug("vacuum of {} skipped: {}", table, Errors.mask(skipped.getMessage()));
                    }
                }
            }
        } catch (SQLException e) {
            if ("42601".equals(e.getSQLState())) { // PARALLEL is unknown before PostgreSQL 13, SKIP_LOCKED before 12
                LOG.warn("the store cannot vacuum its tables on this PostgreSQL version ({}): it needs PostgreSQL 13 or later, "
                        + "and leaves them to autovacuum", Errors.mask(e.getMessage()));
                disabled = true;
            } else {
                LOG.debug("vacuum skipped (tried again in the next round): {}", Errors.mask(e.getMessage()));
            }
        }
        if (!vacuumed.isEmpty()) {
            LOG.debug("vacuumed {}", vacuumed);
        }
        return vacuumed;
    }

    private static void tellAutovacuum(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('autovacuum')")) {
            if (rs.next() && "off".equals(rs.getString(1))) {
                LOG.info("autovacuum is off on this PostgreSQL server: the store vacuums its own tables when their dead rows "
                        + "pile up; other tables in the database are not vacuumed");
            }
        }
    }
}
