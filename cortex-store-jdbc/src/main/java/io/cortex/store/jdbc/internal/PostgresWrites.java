package io.cortex.store.jdbc.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A batch of writes on PostgreSQL: one statement per change, sent in JDBC batches (one round trip
 * per kind of change). Each change is a data-modifying {@code WITH}: the job row (an insert that
 * does nothing on an existing id, or the compare-and-set update), then its history row and outbox
 * row selected from what that first part returned, so a refused change writes nothing and reports
 * 0 rows, without an error that would abort the transaction.
 */
public final class PostgresWrites implements GroupCommit.Statements {
    static final String INSERT = "WITH j AS (INSERT INTO cortex_job (id, state, version, provider, created_at, updated_at, document) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id), "
            + "e AS (INSERT INTO cortex_job_event (job_id, version, type, occurred_at, document) SELECT id, ?, ?, ?, ? FROM j), "
            + "l AS (INSERT INTO cortex_job_label (job_id, label_key, label_value) SELECT j.id, t.k, t.v FROM j, "
            + "unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[])) AS t(k, v)) "
            + "INSERT INTO cortex_outbox (event_id, job_id, type, created_at, document) SELECT ?, id, ?, ?, ? FROM j";
    static final String UPDATE = "WITH j AS (UPDATE cortex_job SET state = ?, version = ?, provider = ?, updated_at = ?, document = ? "
            + "WHERE id = ? AND version = ? RETURNING id), "
            + "e AS (INSERT INTO cortex_job_event (job_id, version, type, occurred_at, document) SELECT id, ?, ?, ?, ? FROM j) "
            + "INSERT INTO cortex_outbox (event_id, job_id, type, created_at, document) SELECT ?, id, ?, ?, ? FROM j";
    /** The history row and outbox row of each step after a change's first (the job row is written at the last step). */
    static final String LATER = "WITH e AS (INSERT INTO cortex_job_event (job_id, version, type, occurred_at, document) VALUES (?, ?, ?, ?, ?)) "
            + "INSERT INTO cortex_outbox (event_id, job_id, type, created_at, document) VALUES (?, ?, ?, ?, ?)";
    static final String DELETE_LABELS = "DELETE FROM cortex_job_label WHERE job_id = ?";
    static final String INSERT_LABEL = "INSERT INTO cortex_job_label (job_id, label_key, label_value) VALUES (?, ?, ?)";
    static final String PUBLISH = "INSERT INTO cortex_outbox (event_id, job_id, type, created_at, document) VALUES (?, ?, ?, ?, ?)";

    @Override
    public void execute(Connection c, List<Write> batch, SlowQueryLog slow) throws SQLException {
        List<Write> inserts = new ArrayList<>();
        List<Write> updates = new ArrayList<>();
        List<Write> publishes = new ArrayList<>();
        for (Write w : batch) {
            switch (w.kind) {
                case INSERT -> inserts.add(w);
                case UPDATE -> updates.add(w);
                case PUBLISH -> publishes.add(w);
                case FLUSH -> w.pendingOutcome = Write.Outcome.APPLIED;
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                for (Write w : updates) {
                    int i = 1;
                    ps.setString(i++, w.job.state().name());
                    ps.setLong(i++, w.job.version());
                    ps.setString(i++, w.job.provider().map(p -> p.value()).orElse(null));
                    ps.setObject(i++, Write.time(w.job.updatedAt()));
                    ps.setString(i++, w.jobDoc);
                    ps.setString(i++, w.jobId());
                    ps.setLong(i++, w.expectedVersion);
                    i = bindEvent(ps, i, w);
                    bindOutbox(ps, i, w);
                    ps.addBatch();
                }
                settle(updates, slow.timed(UPDATE, ps::executeBatch));
            }
            List<Write> relabel = new ArrayList<>();
            for (Write w : updates) {
                if (w.writeLabels && w.pendingOutcome == Write.Outcome.APPLIED) {
                    relabel.add(w);
                }
            }
            if (!relabel.isEmpty()) {
                replaceLabels(c, relabel, slow);
            }
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Write w : inserts) {
                    int i = 1;
                    ps.setString(i++, w.jobId());
                    ps.setString(i++, w.job.state().name());
                    ps.setLong(i++, w.job.version());
                    ps.setString(i++, w.job.provider().map(p -> p.value()).orElse(null));
                    ps.setObject(i++, Write.time(w.job.createdAt()));
                    ps.setObject(i++, Write.time(w.job.updatedAt()));
                    ps.setString(i++, w.jobDoc);
                    i = bindEvent(ps, i, w);
                    Map<String, String> labels = w.job.spec().labels();
                    Array keys = c.createArrayOf("varchar", labels.keySet().toArray(new String[0]));
                    Array values = c.createArrayOf("varchar", labels.values().toArray(new String[0]));
                    ps.setArray(i++, keys);
                    ps.setArray(i++, values);
                    bindOutbox(ps, i, w);
                    ps.addBatch();
                }
                settle(inserts, slow.timed(INSERT, ps::executeBatch));
            }
        }
        later(c, batch, slow);
        if (!publishes.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(PUBLISH)) {
                for (Write w : publishes) {
                    Write.Step step = w.steps.get(0);
                    ps.setString(1, step.published().id());
                    ps.setString(2, step.published().jobId().map(id -> id.value()).orElse(null));
                    ps.setString(3, step.published().type());
                    ps.setObject(4, Write.time(step.published().timestamp()));
                    ps.setString(5, step.outboxDoc());
                    ps.addBatch();
                }
                slow.timed(PUBLISH, ps::executeBatch);
            }
            for (Write w : publishes) {
                w.pendingOutcome = Write.Outcome.APPLIED;
            }
        }
    }

    private static int bindEvent(PreparedStatement ps, int i, Write w) throws SQLException {
        Write.Step step = w.steps.get(0);
        ps.setLong(i++, step.event().version());
        ps.setString(i++, step.event().type().name());
        ps.setObject(i++, Write.time(step.event().timestamp()));
        ps.setString(i++, step.eventDoc());
        return i;
    }

    private static void bindOutbox(PreparedStatement ps, int i, Write w) throws SQLException {
        Write.Step step = w.steps.get(0);
        ps.setString(i++, step.published().id());
        ps.setString(i++, step.published().type());
        ps.setObject(i++, Write.time(step.published().timestamp()));
        ps.setString(i, step.outboxDoc());
    }

    /** The steps after the first of the changes that applied, in order: after their first step's rows. */
    private static void later(Connection c, List<Write> batch, SlowQueryLog slow) throws SQLException {
        PreparedStatement ps = null;
        try {
            for (Write w : batch) {
                if (w.steps.size() < 2 || w.pendingOutcome != Write.Outcome.APPLIED || w.job == null) {
                    continue;
                }
                if (ps == null) {
                    ps = c.prepareStatement(LATER);
                }
                for (Write.Step step : w.steps.subList(1, w.steps.size())) {
                    ps.setString(1, w.jobId());
                    ps.setLong(2, step.event().version());
                    ps.setString(3, step.event().type().name());
                    ps.setObject(4, Write.time(step.event().timestamp()));
                    ps.setString(5, step.eventDoc());
                    ps.setString(6, step.published().id());
                    ps.setString(7, w.jobId());
                    ps.setString(8, step.published().type());
                    ps.setObject(9, Write.time(step.published().timestamp()));
                    ps.setString(10, step.outboxDoc());
                    ps.addBatch();
                }
            }
            if (ps != null) {
                slow.timed(LATER, ps::executeBatch);
            }
        } finally {
            if (ps != null) {
                ps.close();
            }
        }
    }

    /** Applied when the change wrote its outbox row, refused when it wrote none. */
    private static void settle(List<Write> writes, int[] counts) throws SQLException {
        for (int k = 0; k < writes.size(); k++) {
            int n = counts[k];
            if (n < 0) { // the driver did not say: run them one by one, where it does
                throw new SQLException("the driver reported no row count for a batched change (" + n + ")");
            }
            writes.get(k).pendingOutcome = n > 0 ? Write.Outcome.APPLIED : Write.Outcome.REFUSED;
        }
    }

    private static void replaceLabels(Connection c, List<Write> writes, SlowQueryLog slow) throws SQLException {
        try (PreparedStatement del = c.prepareStatement(DELETE_LABELS)) {
            for (Write w : writes) {
                del.setString(1, w.jobId());
                del.addBatch();
            }
            slow.timed(DELETE_LABELS, del::executeBatch);
        }
        boolean any = false;
        try (PreparedStatement ins = c.prepareStatement(INSERT_LABEL)) {
            for (Write w : writes) {
                for (Map.Entry<String, String> l : w.job.spec().labels().entrySet()) {
                    ins.setString(1, w.jobId());
                    ins.setString(2, l.getKey());
                    ins.setString(3, l.getValue());
                    ins.addBatch();
                    any = true;
                }
            }
            if (any) {
                slow.timed(INSERT_LABEL, ins::executeBatch);
            }
        }
    }
}
