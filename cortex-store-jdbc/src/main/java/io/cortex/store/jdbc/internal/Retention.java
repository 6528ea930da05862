package io.cortex.store.jdbc.internal;

import io.cortex.core.job.JobState;
import io.cortex.core.util.Preconditions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Drops finished jobs (SUCCEEDED, FAILED, CANCELLED) the way the in-memory store does: at most
 * {@code keep} of them stay, the most recently submitted, and none that finished longer than
 * {@code age} ago. Their history and labels go with them, in the same statement: on H2 by the
 * schema's {@code ON DELETE CASCADE}, on PostgreSQL (whose schema has no foreign keys from version 2)
 * by a data-modifying {@code WITH}. Their events still waiting in the outbox stay and are delivered
 * (an outbox row is self-contained).
 *
 * <p>Each statement deletes at most {@code batch} jobs in a transaction of its own, so no purge
 * holds many locks or a long transaction; a round repeats them until nothing is left to drop or its
 * time is up. The statements re-check the state of each row they delete, so a finished job moved
 * back to PENDING meanwhile (a resubmission) is kept. A round finds the newest finished job past the
 * {@code keep} newest once, then deletes it and the older ones: should kept jobs be resubmitted in
 * between, as many older ones as were resubmitted go in that round though they could have stayed.
 */
public final class Retention {
    static final String FINISHED = Arrays.stream(JobState.values()).filter(JobState::isFinished)
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    /** Finished jobs last changed before a time, so created before it too (which an index finds). */
    static final String PURGE_OLD = "DELETE FROM cortex_job WHERE state IN " + FINISHED + " AND updated_at < ? AND id IN "
            + "(SELECT id FROM cortex_job WHERE state IN " + FINISHED + " AND created_at < ? AND updated_at < ? LIMIT ?)";
    /** The newest finished job past those kept: read once a round, not once a batch (each read walks the kept ones). */
    static final String EXCESS_FROM = "SELECT created_at, id FROM cortex_job WHERE state IN " + FINISHED
            + " ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?";
    /** Finished jobs submitted no later than the newest one past those kept. */
    static final String PURGE_EXCESS = "DELETE FROM cortex_job WHERE state IN " + FINISHED + " AND id IN "
            + "(SELECT id FROM cortex_job WHERE state IN " + FINISHED + " AND (created_at, id) <= (?, ?) LIMIT ?)";

    /** {@code deleteJobs} (a DELETE of cortex_job) deleting the history and labels of the jobs it deletes too, counting the jobs. */
    static String withHistory(String deleteJobs) {
        return "WITH d AS (" + deleteJobs + " RETURNING id), "
                + "e AS (DELETE FROM cortex_job_event WHERE job_id IN (SELECT id FROM d)), "
                + "l AS (DELETE FROM cortex_job_label WHERE job_id IN (SELECT id FROM d)) SELECT COUNT(*) FROM d";
    }

    /** An age this long or longer keeps finished jobs for ever. */
    public static final Duration FOREVER = Duration.ofDays(365L * 1000);

    private final DataSource pool;
    private final SlowQueryLog slow;
    private final int keep;
    private final Duration age;
    private final Clock clock;
    private final int batch;
    /** Whether the statements delete history and labels themselves (no cascade in the schema). */
    private final boolean deletesHistory;
    private final String purgeOld;
    private final String purgeExcess;

    /**
     * Keeps at most {@code keep} finished jobs, none finished more than {@code age} ago by {@code clock},
     * in a database of {@code dialect}.
     *
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when a limit is negative or the batch below 1
     */
    public Retention(DataSource pool, Dialect dialect, SlowQueryLog slow, int keep, Duration age, Clock clock, int batch) {
        this.pool = Preconditions.notNull(pool, "pool");
        this.deletesHistory = Preconditions.notNull(dialect, "dialect") == Dialect.POSTGRESQL;
        this.purgeOld = deletesHistory ? withHistory(PURGE_OLD) : PURGE_OLD;
        this.purgeExcess = deletesHistory ? withHistory(PURGE_EXCESS) : PURGE_EXCESS;
        this.slow = Preconditions.notNull(slow, "slow");
        Preconditions.argument(keep >= 0, "retained finished jobs must not be negative, got %d", keep);
        Preconditions.notNull(age, "age");
        Preconditions.argument(!age.isNegative(), "retention age must not be negative, got %s", age);
        Preconditions.argument(batch >= 1, "batch must be at least 1, got %d", batch);
        this.keep = keep;
        this.age = age;
        this.clock = Preconditions.notNull(clock, "clock");
        this.batch = batch;
    }

    /**
     * Drops what the retention says should go, in batches, for at most {@code budget} (a batch begun
     * finishes); returns how many jobs were dropped.
     *
     * @throws SQLException when the database fails
     */
    public int purge(Duration budget) throws SQLException {
        long until = System.nanoTime() + budget.toNanos();
        int total = 0;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true); // each batch is its own transaction
            if (age.compareTo(FOREVER) < 0) {
                total += purgeOld(c, OffsetDateTime.ofInstant(clock.instant().minus(age), ZoneOffset.UTC), until);
            }
            if (keep < Integer.MAX_VALUE && System.nanoTime() - until < 0) {
                total += purgeExcess(c, until);
            }
        }
        return total;
    }

    private int purgeOld(Connection c, OffsetDateTime cutoff, long until) throws SQLException {
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(purgeOld)) {
            int n;
            do {
                ps.setObject(1, cutoff);
                ps.setObject(2, cutoff);
                ps.setObject(3, cutoff);
                ps.setInt(4, batch);
                n = purge(purgeOld, ps);
                total += n;
            } while (n >= batch && System.nanoTime() - until < 0);
        }
        return total;
    }

    private int purgeExcess(Connection c, long until) throws SQLException {
        OffsetDateTime createdAt;
        String id;
        try (PreparedStatement ps = c.prepareStatement(EXCESS_FROM)) {
            ps.setInt(1, keep);
            try (ResultSet rs = slow.timed(EXCESS_FROM, ps::executeQuery)) {
                if (!rs.next()) {
                    return 0; // no more finished jobs than kept
                }
                createdAt = rs.getObject(1, OffsetDateTime.class);
                id = rs.getString(2);
            }
        }
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(purgeExcess)) {
            int n;
            do {
                ps.setObject(1, createdAt);
                ps.setString(2, id);
                ps.setInt(3, batch);
                n = purge(purgeExcess, ps);
                total += n;
            } while (n >= batch && System.nanoTime() - until < 0);
        }
        return total;
    }

    /** Runs one purge statement; returns how many jobs it deleted. */
    private int purge(String sql, PreparedStatement ps) throws SQLException {
        if (!deletesHistory) {
            return slow.timed(sql, ps::executeUpdate);
        }
        try (ResultSet rs = slow.timed(sql, ps::executeQuery)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The most finished jobs kept. */
    public int keep() {
        return keep;
    }

    /** How long a finished job is kept at most. */
    public Duration age() {
        return age;
    }
}
