package io.cortex.store.jdbc;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.provider.AttemptRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engines under test did, written where a killed process cannot take it back: every
 * submit a provider received, every job an engine accepted, every event a listener received. Each
 * record is written before the call that produced it returns.
 */
interface Ledger extends AutoCloseable {
    /** The provider received attempt {@code attempt} (written before {@code submit} returns). */
    void submitted(String engine, AttemptRef attempt);

    /** {@code Cortex.submit} returned the job. */
    void accepted(String engine, JobId job);

    /** A listener of {@code engine} received the event. */
    void delivered(String engine, CortexEvent event);

    @Override
    void close();

    /** One record. */
    record Entry(String kind, String engine, String a, String b) {}

    /**
     * Appends lines to one file with single {@code write} calls on an {@code O_APPEND} channel: a
     * SIGKILL leaves whole lines (a torn last line is dropped when read).
     */
    final class FileLedger implements Ledger {
        private final FileChannel out;

        FileLedger(Path file) {
            try {
                out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private synchronized void line(String kind, String engine, String a, Object b) {
            try {
                out.write(ByteBuffer.wrap((kind + " " + engine + " " + a + " " + b + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void submitted(String engine, AttemptRef attempt) {
            line("SUBMIT", engine, attempt.jobId().value(), attempt.number());
        }

        @Override
        public void accepted(String engine, JobId job) {
            line("ACCEPT", engine, job.value(), "-");
        }

        @Override
        public void delivered(String engine, CortexEvent event) {
            line("EVENT", engine, event.id(), event.jobId().map(JobId::value).orElse("-"));
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Every whole line, in the order written. */
        static List<Entry> read(Path file) throws IOException {
            List<Entry> out = new ArrayList<>();
            if (!Files.exists(file)) {
                return out;
            }
            String text = Files.readString(file);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return out;
            }
            for (String l : text.substring(0, end).split("\n")) {
                String[] p = l.split(" ");
                if (p.length == 4) {
                    out.add(new Entry(p[0], p[1], p[2], p[3]));
                }
            }
            return out;
        }
    }

    /** Rows in three tables of a PostgreSQL schema, one autocommitted insert per record. */
    final class JdbcLedger implements Ledger {
        static final String[] TABLES = {
            "CREATE TABLE IF NOT EXISTS test_submit (seq BIGSERIAL PRIMARY KEY, engine TEXT NOT NULL, job_id TEXT NOT NULL, "
                    + "attempt INT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS test_accept (seq BIGSERIAL PRIMARY KEY, engine TEXT NOT NULL, job_id TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS test_delivery (seq BIGSERIAL PRIMARY KEY, engine TEXT NOT NULL, event_id TEXT NOT NULL, "
                    + "job_id TEXT)"
        };
        private final Connection c;

        JdbcLedger(String url, String user, String password, String schema) {
            try {
                c = DriverManager.getConnection(url, user, password);
                c.setSchema(schema);
                try (Statement st = c.createStatement()) {
                    for (String t : TABLES) {
                        st.execute(t);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private synchronized void insert(String sql, String... values) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    ps.setString(i + 1, values[i]);
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void submitted(String engine, AttemptRef attempt) {
            insert("INSERT INTO test_submit (engine, job_id, attempt) VALUES (?, ?, CAST(? AS INT))", engine,
                    attempt.jobId().value(), Integer.toString(attempt.number()));
        }

        @Override
        public void accepted(String engine, JobId job) {
            insert("INSERT INTO test_accept (engine, job_id) VALUES (?, ?)", engine, job.value());
        }

        @Override
        public void delivered(String engine, CortexEvent event) {
            insert("INSERT INTO test_delivery (engine, event_id, job_id) VALUES (?, ?, ?)", engine, event.id(),
                    event.jobId().map(JobId::value).orElse(null));
        }

        @Override
        public synchronized void close() {
            try {
                c.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
