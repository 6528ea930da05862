package io.cortex.store.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A batch of writes on H2, embedded (statements cost no round trip): the job rows first, one JDBC
 * batch for the compare-and-set updates and one for the inserts, then, for the changes that
 * applied, one batch each of history rows, labels and outbox rows. A duplicate id fails its insert
 * (H2 has no {@code ON CONFLICT} outside its PostgreSQL mode); the group commit then runs the batch
 * one by one and that insert alone fails.
 *
 * <p>After each commit, {@code CHECKPOINT} writes it into the file at once (H2's own writer would
 * write it up to {@code WRITE_DELAY} later): a write is acknowledged once it survives the process.
 */
public final class H2Writes implements GroupCommit.Statements {
    static final String INSERT_JOB = "INSERT INTO cortex_job (id, state, version, provider, created_at, updated_at, document) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE_JOB = "UPDATE cortex_job SET state = ?, version = ?, provider = ?, updated_at = ?, document = ? "
            + "WHERE id = ? AND version = ?";
    static final String INSERT_EVENT = "INSERT INTO cortex_job_event (job_id, version, type, occurred_at, document) "
            + "VALUES (?, ?, ?, ?, ?)";
    static final String DELETE_LABELS = "DELETE FROM cortex_job_label WHERE job_id = ?";
    static final String INSERT_LABEL = "INSERT INTO cortex_job_label (job_id, label_key, label_value) VALUES (?, ?, ?)";
    static final String INSERT_OUTBOX = "INSERT INTO cortex_outbox (event_id, job_id, type, created_at, document) "
            + "VALUES (?, ?, ?, ?, ?)";

    static final String CHECKPOINT = "CHECKPOINT";

    @Override
    public void afterCommit(Connection c, SlowQueryLog slow) throws SQLException {
        try (Statement st = c.createStatement()) {
            slow.timed(CHECKPOINT, () -> st.execute(CHECKPOINT));
        }
    }

    @Override
    public void execute(Connection c, List<Write> batch, SlowQueryLog slow) throws SQLException {
        List<Write> updates = new ArrayList<>();
        List<Write> inserts = new ArrayList<>();
        for (Write w : batch) {
            switch (w.kind) {
                case UPDATE -> updates.add(w);
                case INSERT -> inserts.add(w);
                case PUBLISH, FLUSH -> w.pendingOutcome = Write.Outcome.APPLIED;
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_JOB)) {
                for (Write w : updates) {
                    ps.setString(1, w.job.state().name());
                    ps.setLong(2, w.job.version());
                    ps.setString(3, w.job.provider().map(p -> p.value()).orElse(null));
                    ps.setObject(4, Write.time(w.job.updatedAt()));
                    ps.setString(5, w.jobDoc);
                    ps.setString(6, w.jobId());
                    ps.setLong(7, w.expectedVersion);
                    ps.addBatch();
                }
                int[] n = slow.timed(UPDATE_JOB, ps::executeBatch);
                for (int k = 0; k < updates.size(); k++) {
                    updates.get(k).pendingOutcome = n[k] > 0 ? Write.Outcome.APPLIED : Write.Outcome.REFUSED;
                }
            }
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_JOB)) {
                for (Write w : inserts) {
                    ps.setString(1, w.jobId());
                    ps.setString(2, w.job.state().name());
                    ps.setLong(3, w.job.version());
                    ps.setString(4, w.job.provider().map(p -> p.value()).orElse(null));
                    ps.setObject(5, Write.time(w.job.createdAt()));
                    ps.setObject(6, Write.time(w.job.updatedAt()));
                    ps.setString(7, w.jobDoc);
                    ps.addBatch();
                }
                slow.timed(INSERT_JOB, ps::executeBatch);
                for (Write w : inserts) {
                    w.pendingOutcome = Write.Outcome.APPLIED;
                }
            }
        }
        List<Write> applied = new ArrayList<>(batch.size());
        for (Write w : batch) {
            if (w.pendingOutcome == Write.Outcome.APPLIED && w.kind != Write.Kind.FLUSH) {
                applied.add(w);
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        events(c, applied, slow);
        labels(c, applied, slow);
        outbox(c, applied, slow);
    }

    private static void events(Connection c, List<Write> applied, SlowQueryLog slow) throws SQLException {
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            for (Write w : applied) {
                for (Write.Step step : w.steps) {
                    if (step.event() == null) {
                        continue;
                    }
                    ps.setString(1, w.jobId());
                    ps.setLong(2, step.event().version());
                    ps.setString(3, step.event().type().name());
                    ps.setObject(4, Write.time(step.event().timestamp()));
                    ps.setString(5, step.eventDoc());
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                slow.timed(INSERT_EVENT, ps::executeBatch);
            }
        }
    }

    private static void labels(Connection c, List<Write> applied, SlowQueryLog slow) throws SQLException {
        List<Write> labelled = new ArrayList<>();
        for (Write w : applied) {
            if (w.writeLabels) {
                labelled.add(w);
            }
        }
        if (labelled.isEmpty()) {
            return;
        }
        boolean replacing = false;
        try (PreparedStatement del = c.prepareStatement(DELETE_LABELS)) {
            for (Write w : labelled) {
                if (w.kind == Write.Kind.UPDATE) {
                    del.setString(1, w.jobId());
                    del.addBatch();
                    replacing = true;
                }
            }
            if (replacing) {
                slow.timed(DELETE_LABELS, del::executeBatch);
            }
        }
        boolean any = false;
        try (PreparedStatement ins = c.prepareStatement(INSERT_LABEL)) {
            for (Write w : labelled) {
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

    private static void outbox(Connection c, List<Write> applied, SlowQueryLog slow) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_OUTBOX)) {
            for (Write w : applied) {
                for (Write.Step step : w.steps) {
                    ps.setString(1, step.published().id());
                    ps.setString(2, step.published().jobId().map(id -> id.value()).orElse(null));
                    ps.setString(3, step.published().type());
                    ps.setObject(4, Write.time(step.published().timestamp()));
                    ps.setString(5, step.outboxDoc());
                    ps.addBatch();
                }
            }
            slow.timed(INSERT_OUTBOX, ps::executeBatch);
        }
    }
}
