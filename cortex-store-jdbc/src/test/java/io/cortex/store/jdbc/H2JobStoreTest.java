package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.job.Job;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.OutboxEntry;
import io.cortex.store.jdbc.internal.GroupCommit;
import io.cortex.core.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC store on an embedded H2 file, one per test. */
class H2JobStoreTest extends JdbcJobStoreContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("cortex");
    }

    @Override
    protected String currentVersion() {
        return "1"; // V1 only
    }

    @Override
    protected JdbcJobStore.Builder builder() {
        return JdbcJobStore.builder().h2File(file());
    }

    @Override
    protected JobStore emptyStore() {
        return builder().build();
    }

    @Override
    protected JdbcJobStore.Builder lockPatientBuilder() {
        return JdbcJobStore.builder().jdbcUrl("jdbc:h2:file:" + file().toAbsolutePath() + ";LOCK_TIMEOUT=60000");
    }

    @Override
    protected Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath());
    }

    @Override
    protected JdbcJobStore.Builder faultBuilder() {
        return JdbcJobStore.builder().jdbcUrl("jdbc:h2:file:" + file().toAbsolutePath() + ";LOCK_TIMEOUT=3000");
    }

    @Override
    protected void breakTheWaitingWrite(Connection holder) {
        // H2 gives up the lock wait on its own after LOCK_TIMEOUT: the waiting write fails with a timeout
    }

    @Override
    protected void execute(String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath());
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Test
    void anH2FileIsOwnedByOneEngineAndEachWriteIsForcedIntoTheFileBeforeItReturns() {
        JdbcJobStore jdbc = (JdbcJobStore) store;
        assertThat(store.isShared()).isFalse();
        assertThat(Files.exists(dir.resolve("cortex.mv.db"))).isTrue();
        assertThat(jdbc.status().product()).isEqualTo("H2");
        assertThat(jdbc.status().url()).as("H2 reuses obsolete chunks after 2 s, not 45 s, and never at once")
                .contains("RETENTION_TIME=2000").doesNotContain("WRITE_DELAY");
        jdbc.updateConfig(io.cortex.core.store.DatabaseConfigChange.none().withSlowQueryThreshold(0));
        jdbc.clearSlowQueries();

        jobs.submitted();

        assertThat(jdbc.slowQueries()).extracting(q -> q.statement()).as("newest first").startsWith("CHECKPOINT", "COMMIT");
    }

    @Test
    void closingAnOwnedH2FileCompactsItToItsLiveData() throws Exception {
        store.close();
        store = builder().compactOnClose(false).retention(10, Duration.ofDays(1)).build();
        jobs = new Jobs(store);
        for (int i = 0; i < 300; i++) {
            jobs.toSuccess(jobs.submitted());
        }
        ((JdbcJobStore) store).purgeFinished();
        store.close();
        long uncompacted = Files.size(dir.resolve("cortex.mv.db"));

        store = builder().build(); // compactOnClose by default
        store.close();
        long compacted = Files.size(dir.resolve("cortex.mv.db"));

        System.out.println("H2JobStoreTest: file after 1,200 commits " + uncompacted + " bytes, compacted on close " + compacted);
        assertThat(compacted).isLessThan(2L << 20).isLessThan(uncompacted);
        store = builder().build();
        assertThat(store.countByState().get(io.cortex.core.job.JobState.SUCCEEDED)).as("nothing lost by compaction")
                .isEqualTo(10);
    }

    @Test
    void anOwnedStoreAcknowledgesWithoutACommitAndItsNextTransactionDeletesTheRows() throws Exception {
        Job job = jobs.assigned(jobs.submitted(), Jobs.ALPHA);
        GroupCommit writer = ((JdbcJobStore) store).groupCommit();
        List<OutboxEntry> batch = store.outbox(10);
        long transactions = writer.transactions();

        store.acknowledge(batch.get(batch.size() - 1).sequence());

        assertThat(writer.transactions()).as("acknowledging committed nothing yet").isEqualTo(transactions);
        assertThat(store.outbox(10)).as("acknowledged entries do not come again").isEmpty();
        assertThat(store.outboxSize()).isZero();
        assertThat(rowsInOutbox()).as("still in the table until the next transaction").isEqualTo(2);

        jobs.running(job); // a job change: its transaction deletes them

        assertThat(writer.transactions()).isEqualTo(transactions + 1);
        assertThat(rowsInOutbox()).as("only the new change's row").isEqualTo(1);
        assertThat(store.outbox(10)).extracting(e -> e.event().id()).containsExactly(eventId(job, 3));
    }

    @Test
    void acknowledgedRowsAreDeletedWithinASecondWhenNoJobChanges() throws Exception {
        jobs.submitted();
        List<OutboxEntry> batch = store.outbox(10);

        store.acknowledge(batch.get(0).sequence());

        org.awaitility.Awaitility.await().atMost(10, java.util.concurrent.TimeUnit.SECONDS).until(() -> rowsInOutbox() == 0);
    }

    @Test
    void anOwnedStoreServesTheUnfinishedJobsItWroteFromMemoryAndFinishedOnesFromTheDatabase() {
        JdbcJobStore jdbc = (JdbcJobStore) store;
        Job running = jobs.running(jobs.assigned(jobs.submitted(), Jobs.ALPHA));
        Job done = jobs.toSuccess(jobs.submitted());
        jdbc.updateConfig(io.cortex.core.store.DatabaseConfigChange.none().withSlowQueryThreshold(0));
        jdbc.clearSlowQueries();

        assertThat(store.get(running.id())).get().satisfies(j -> assertThat(Jobs.json(j)).isEqualTo(Jobs.json(running)));
        assertThat(jdbc.slowQueries()).as("no query for a job it wrote").isEmpty();
        assertThat(store.get(done.id())).get().extracting(Job::state).isEqualTo(io.cortex.core.job.JobState.SUCCEEDED);
        assertThat(jdbc.slowQueries()).extracting(q -> q.statement()).containsExactly("SELECT document FROM cortex_job WHERE id = ?");

        Job.Change stale = running.cancel("stale", jobs.clock.instant());
        assertThat(store.update(stale.job(), running.version() - 1, stale.event())).isFalse();
        assertThat(store.get(running.id())).get().extracting(Job::version).as("a refused write leaves the stored job")
                .isEqualTo(running.version());
    }

    private long rowsInOutbox() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM cortex_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theBuilderRefusesAnOptionSetTwiceAndDatabasesItCannotRunOn() {
        assertThatThrownBy(() -> JdbcJobStore.builder().poolSize(2).poolSize(3))
                .isInstanceOf(IllegalStateException.class).hasMessage("poolSize was already set to 2");
        assertThatThrownBy(() -> JdbcJobStore.builder().h2File(file()).jdbcUrl("jdbc:h2:mem:x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("database was already set to");
        assertThatThrownBy(() -> JdbcJobStore.builder().jdbcUrl("jdbc:mysql://db/x?password=secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("H2").hasMessageContaining("PostgreSQL")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> JdbcJobStore.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("h2File");
        assertThatThrownBy(() -> JdbcJobStore.builder().schema("x; DROP TABLE y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain identifier");
        assertThatThrownBy(() -> JdbcJobStore.builder().h2File(file()).poolSize(2).minimumIdle(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumIdle");
    }

    @Test
    void anUnreachableDatabaseFailsTheBuildSayingWhere() {
        assertThatThrownBy(() -> JdbcJobStore.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/none")
                .credentials("nobody", "secret").connectionTimeout(Duration.ofMillis(500)).build())
                .isInstanceOf(StoreException.class).hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("secret");
    }
}
