package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.Job;
import io.cortex.core.job.JobState;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.JobStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC store on PostgreSQL, in a schema of its own, emptied before each test. */
class PostgresJobStoreTest extends JdbcJobStoreContract {
    @RegisterExtension
    static final Postgres PG = new Postgres();

    @Override
    protected String currentVersion() {
        return "2"; // V2 drops the history's foreign keys
    }

    @Override
    protected JdbcJobStore.Builder builder() {
        return PG.store();
    }

    @Override
    protected JobStore emptyStore() throws Exception {
        JdbcJobStore s = builder().build();
        PG.execute("TRUNCATE cortex_job, cortex_job_label, cortex_job_event, cortex_outbox, cortex_lease");
        return s;
    }

    @Override
    protected Connection connect() throws Exception {
        return PG.connect();
    }

    @Override
    protected String faultPoolName() {
        return "cortex-fault-" + PG.schema(); // pg_stat_activity lists every run's connections: end only this one's
    }

    @Override
    protected void breakTheWaitingWrite(Connection holder) throws Exception {
        // the server ends the connection the batch waits on (what a failover or a restarted database does)
        try (Connection c = PG.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE application_name = '" + faultPoolName() + "' AND wait_event_type = 'Lock'")) {
            assertThat(rs.next()).as("a connection of the store waits for the held lock").isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Override
    protected boolean claimsOneAtATime() {
        return true; // an advisory lock per schema
    }

    @Override
    protected void execute(String... sql) throws Exception {
        PG.execute(sql);
    }

    @Test
    void aPostgresStoreIsSharedByEnginesAndKeepsItsTablesInItsSchema() throws Exception {
        assertThat(store.isShared()).isTrue();
        assertThat(((JdbcJobStore) store).status()).satisfies(s -> {
            assertThat(s.product()).isEqualTo("PostgreSQL");
            assertThat(s.schema()).isEqualTo(PG.schema());
            assertThat(s.shared()).isTrue();
        });
        try (var c = PG.connect(); var rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + PG.schema() + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(6); // five tables and the schema history
        }
    }

    private static List<String> foreignKeys() throws Exception {
        List<String> names = new ArrayList<>();
        try (var c = PG.connect(); var rs = c.createStatement().executeQuery("SELECT conname FROM pg_constraint "
                + "WHERE contype = 'f' AND connamespace = '" + PG.schema() + "'::regnamespace ORDER BY conname")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void aDatabaseAtVersion1IsMigratedToVersion2AndKeepsItsJobsHistoryAndLabels() throws Exception {
        assertThat(foreignKeys()).as("version 2 writes history without a foreign-key check").isEmpty();
        Job done = jobs.toSuccess(jobs.submitted("team", "ml"));
        Job waiting = jobs.submitted("team", "web");
        store.close();
        // Given the schema as version 1 left it, with jobs in it
        PG.execute("ALTER TABLE cortex_job_event ADD CONSTRAINT cortex_job_event_job_id_fkey FOREIGN KEY (job_id) "
                        + "REFERENCES cortex_job (id) ON DELETE CASCADE",
                "ALTER TABLE cortex_job_label ADD CONSTRAINT cortex_job_label_job_id_fkey FOREIGN KEY (job_id) "
                        + "REFERENCES cortex_job (id) ON DELETE CASCADE",
                "DELETE FROM cortex_schema_history WHERE version = '2'");
        assertThat(foreignKeys()).hasSize(2);

        // When a store of this version opens it
        store = builder().build();
        jobs = new Jobs(store);

        // Then it is at version 2, without the foreign keys, and nothing of what was stored is lost
        assertThat(((JdbcJobStore) store).status().schemaVersion()).isEqualTo("2");
        assertThat(foreignKeys()).isEmpty();
        assertThat(store.get(done.id())).get().extracting(Job::state).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.events(done.id())).hasSize(4);
        assertThat(store.query(JobQuery.all().withLabel("team", "web")).items()).extracting(Job::id).containsExactly(waiting.id());
        assertThat(jobs.toSuccess(waiting)).extracting(Job::state).isEqualTo(JobState.SUCCEEDED);
    }
}
