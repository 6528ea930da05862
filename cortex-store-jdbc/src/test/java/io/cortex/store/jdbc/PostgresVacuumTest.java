package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cortex.store.jdbc.internal.PostgresHousekeeping;
import io.cortex.store.jdbc.internal.SlowQueryLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store vacuums its own PostgreSQL tables when their dead rows pile up — CI's server runs with
 * autovacuum off, as some do; here it is off for the tables the tests count dead rows in, whatever
 * the server says — and leaves alone what has few, what another session has locked, and everything
 * when told not to.
 */
class PostgresVacuumTest {
    @RegisterExtension
    static final Postgres PG = new Postgres();
    private static final Duration STATS = Duration.ofSeconds(30); // the server publishes a session's counts within seconds

    private JdbcJobStore store; // made the tables; vacuums nothing itself
    private PGSimpleDataSource database;
    private PostgresHousekeeping housekeeping;

    @BeforeEach
    void setUp() throws SQLException {
        store = PG.store().vacuum(false).build();
        PG.execute("TRUNCATE cortex_job, cortex_job_label, cortex_job_event, cortex_outbox, cortex_lease");
        noAutovacuum(PG.schema()); // where the server has it on, it must not clear the dead rows a test counts on
        database = new PGSimpleDataSource();
        database.setURL(PG.url());
        database.setUser(PG.user());
        database.setPassword(PG.password());
        housekeeping = new PostgresHousekeeping(database, new SlowQueryLog(16, 1_000, Clock.systemUTC()), PG.schema());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void aTableWhoseDeadRowsPiledUpIsVacuumedAndOneWithAFewIsLeftAlone() throws SQLException {
        deadOutboxRows(PG.schema(), 2_000);
        PG.execute("INSERT INTO cortex_lease (name, owner, expires_at, acquired_at) "
                + "SELECT 'l' || g, 'me', 0, 0 FROM generate_series(1, 20) g", "DELETE FROM cortex_lease");
        awaitDeadRows(PG.schema(), "cortex_outbox", 2_000);
        awaitDeadRows(PG.schema(), "cortex_lease", 20);
        long outboxVacuums = stat(PG.schema(), "cortex_outbox", "vacuum_count"); // the tests share the tables
        long leaseVacuums = stat(PG.schema(), "cortex_lease", "vacuum_count");

        assertThat(housekeeping.round()).containsExactly("\"" + PG.schema() + "\".\"cortex_outbox\"");

        assertThat(stat(PG.schema(), "cortex_outbox", "vacuum_count")).isEqualTo(outboxVacuums + 1);
        assertThat(stat(PG.schema(), "cortex_outbox", "n_dead_tup")).isZero();
        assertThat(stat(PG.schema(), "cortex_lease", "vacuum_count")).as("20 dead rows are not worth a vacuum")
                .isEqualTo(leaseVacuums);
        assertThat(housekeeping.round()).as("nothing piled up since").isEmpty();
    }

    @Test
    void deadRowsAreWeighedAgainstTheLiveOnes() throws SQLException {
        PG.execute("INSERT INTO cortex_outbox (event_id, job_id, type, created_at, document) "
                + "SELECT 'evt_' || g, NULL, 'job.changed', now(), '{}' FROM generate_series(1, 10000) g",
                "DELETE FROM cortex_outbox WHERE seq IN (SELECT seq FROM cortex_outbox ORDER BY seq LIMIT 1500)");
        awaitDeadRows(PG.schema(), "cortex_outbox", 1_500);
        assertThat(housekeeping.round()).as("1,500 dead beside 8,500 live: under a fifth").isEmpty();

        PG.execute("DELETE FROM cortex_outbox WHERE seq IN (SELECT seq FROM cortex_outbox ORDER BY seq LIMIT 1000)");
        awaitDeadRows(PG.schema(), "cortex_outbox", 2_500);
        assertThat(housekeeping.round()).as("2,500 dead beside 7,500 live").containsExactly("\"" + PG.schema() + "\".\"cortex_outbox\"");
    }

    @Test
    @Timeout(60)
    void aTableAnotherSessionHoldsLockedIsSkippedNotWaitedForAndVacuumedOnceFree() throws SQLException {
        deadOutboxRows(PG.schema(), 1_500);
        awaitDeadRows(PG.schema(), "cortex_outbox", 1_500);
        long vacuums = stat(PG.schema(), "cortex_outbox", "vacuum_count"); // the tests share the tables
        try (Connection holder = PG.connect()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("LOCK TABLE cortex_outbox IN SHARE UPDATE EXCLUSIVE MODE"); // what a running VACUUM holds
            }
            assertThat(housekeeping.round()).isEmpty();
            assertThat(stat(PG.schema(), "cortex_outbox", "vacuum_count")).isEqualTo(vacuums);
            holder.rollback();
        }
        assertThat(housekeeping.round()).containsExactly("\"" + PG.schema() + "\".\"cortex_outbox\"");
    }

    @Test
    void aRoundWhileTheDatabaseIsUnreachableDoesNothingAndTheNextOneCatchesUp() throws SQLException {
        deadOutboxRows(PG.schema(), 1_500);
        awaitDeadRows(PG.schema(), "cortex_outbox", 1_500);
        database.setURL("jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2"); // nothing listens on port 1
        assertThat(housekeeping.round()).isEmpty();

        database.setURL(PG.url());
        assertThat(housekeeping.round()).containsExactly("\"" + PG.schema() + "\".\"cortex_outbox\"");
    }

    @Test
    void aStoreVacuumsOnItsOwnAndOneToldNotToLeavesItsTablesToAutovacuum() throws SQLException {
        String other = PG.schema() + "_off";
        long vacuums = stat(PG.schema(), "cortex_outbox", "vacuum_count"); // the tests share the tables
        try (JdbcJobStore vacuuming = PG.store().poolName("vacuuming").vacuumInterval(Duration.ofMillis(100)).build();
                JdbcJobStore notVacuuming = JdbcJobStore.builder().jdbcUrl(PG.url()).credentials(PG.user(), PG.password())
                        .schema(other).poolName("not-vacuuming").vacuum(false).vacuumInterval(Duration.ofMillis(100)).build()) {
            noAutovacuum(other);
            deadOutboxRows(PG.schema(), 1_500);
            deadOutboxRows(other, 1_500);
            awaitDeadRows(other, "cortex_outbox", 1_500);

            await().atMost(STATS).until(() -> stat(PG.schema(), "cortex_outbox", "vacuum_count") > vacuums);
            assertThat(stat(PG.schema(), "cortex_outbox", "n_dead_tup")).isLessThan(PostgresHousekeeping.MIN_DEAD);
            assertThat(stat(other, "cortex_outbox", "vacuum_count")).as("told not to vacuum").isZero();
            assertThat(stat(other, "cortex_outbox", "n_dead_tup")).isGreaterThanOrEqualTo(1_500);
            assertThat(leaseOwners("vacuum")).as("a shared store vacuums while it holds the vacuum lease").hasSize(1);
        } finally {
            PG.execute("DROP SCHEMA IF EXISTS " + other + " CASCADE");
        }
    }

    private static List<String> leaseOwners(String name) throws SQLException {
        List<String> owners = new ArrayList<>();
        try (Connection c = PG.connect(); PreparedStatement ps = c.prepareStatement("SELECT owner FROM cortex_lease WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.add(rs.getString(1));
                }
            }
        }
        return owners;
    }

    private static void noAutovacuum(String schema) throws SQLException {
        PG.execute("ALTER TABLE " + schema + ".cortex_outbox SET (autovacuum_enabled = false)",
                "ALTER TABLE " + schema + ".cortex_lease SET (autovacuum_enabled = false)");
    }

    /** Leaves {@code n} dead rows in {@code schema}'s outbox: inserted and deleted, as delivered events are. */
    private static void deadOutboxRows(String schema, int n) throws SQLException {
        PG.execute("INSERT INTO " + schema + ".cortex_outbox (event_id, job_id, type, created_at, document) "
                + "SELECT 'evt_' || g, NULL, 'job.changed', now(), '{}' FROM generate_series(1, " + n + ") g",
                "DELETE FROM " + schema + ".cortex_outbox");
    }

    /** Waits until the server's statistics count at least {@code n} dead rows in the table. */
    private static void awaitDeadRows(String schema, String table, long n) {
        await().atMost(STATS).until(() -> stat(schema, table, "n_dead_tup") >= n);
    }

    private static long stat(String schema, String table, String column) throws SQLException {
        try (Connection c = PG.connect(); PreparedStatement ps = c.prepareStatement("SELECT " + column
                + " FROM pg_stat_user_tables WHERE schemaname = ? AND relname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("%s.%s has statistics", schema, table).isTrue();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void theVacuumSettingsRefuseNonsenseNamingTheSetting() {
        assertThatThrownBy(() -> PG.store().vacuumInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vacuumInterval");
        assertThatThrownBy(() -> PG.store().vacuum(true).vacuum(false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("vacuum");
    }
}
