package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.ImageRef;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.Lease;
import io.cortex.core.store.OutboxEntry;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two applications on one PostgreSQL database, each store in a schema of its own: neither sees the
 * other's jobs, history, outbox or leases, and the same job id may live in both. One schema is the
 * test class's; the other has a mixed-case name the store creates itself (quoted exactly as given).
 */
class PostgresSchemaIsolationTest {
    @RegisterExtension
    static final Postgres PG = new Postgres();

    private static final Duration TTL = Duration.ofSeconds(30);

    @Test
    void twoStoresInTwoSchemasOfOneDatabaseDoNotSeeEachOthersJobsOutboxOrLeases() throws Exception {
        String other = "Cortex_Other_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (JdbcJobStore a = PG.store().poolName("app-a").poolSize(2).build();
                JdbcJobStore b = JdbcJobStore.builder().jdbcUrl(PG.url()).credentials(PG.user(), PG.password())
                        .schema(other).poolName("app-b").poolSize(2).build()) {
            assertThat(b.status().schema()).isEqualTo(other);
            try (var c = PG.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + other + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the store created its schema, named as given, with its tables").isEqualTo(6);
            }

            Jobs inA = new Jobs(a);
            Job done = inA.toSuccess(inA.submitted("app", "a"));
            Job waiting = inA.submitted("app", "a");
            assertThat(a.outboxSize()).as("A's changes wait in A's outbox").isEqualTo(5);

            assertThat(b.get(done.id())).isEmpty();
            assertThat(b.get(waiting.id())).isEmpty();
            assertThat(b.events(done.id())).isEmpty();
            assertThat(b.activeJobs()).isEmpty();
            assertThat(b.countByState().values()).allMatch(n -> n == 0L);
            assertThat(b.outboxSize()).isZero();
            assertThat(b.outbox(100)).as("B claims none of A's events").isEmpty();

            // the same id in B is another job in another table
            Job.Change twin = Job.create(waiting.id(), JobSpec.builder().image("other/app:2").build(), inA.clock.instant());
            b.insert(twin.job(), twin.event());
            assertThat(b.get(waiting.id())).get().extracting(j -> j.spec().image()).isEqualTo(ImageRef.parse("other/app:2"));
            assertThat(a.get(waiting.id())).get().extracting(j -> j.spec().image()).isEqualTo(ImageRef.parse("acme/app:1"));
            assertThat(a.countByState()).containsEntry(JobState.PENDING, 1L).containsEntry(JobState.SUCCEEDED, 1L);
            assertThat(b.countByState()).containsEntry(JobState.PENDING, 1L).containsEntry(JobState.SUCCEEDED, 0L);

            // each application's engines take their own outbox lease
            assertThat(a.tryLease(JobStore.OUTBOX_LEASE, "engine-a", TTL)).isTrue();
            assertThat(b.lease(JobStore.OUTBOX_LEASE)).as("A's lease is not B's").isEmpty();
            assertThat(b.tryLease(JobStore.OUTBOX_LEASE, "engine-b", TTL)).isTrue();
            assertThat(a.lease(JobStore.OUTBOX_LEASE)).get().extracting(Lease::owner).isEqualTo("engine-a");
            assertThat(b.lease(JobStore.OUTBOX_LEASE)).get().extracting(Lease::owner).isEqualTo("engine-b");

            List<OutboxEntry> fromA = a.outbox(100);
            List<OutboxEntry> fromB = b.outbox(100);
            assertThat(fromA).hasSize(5).allSatisfy(e -> assertThat(e.event().jobId()).get().isIn(done.id(), waiting.id()));
            assertThat(fromB).as("A's open claim does not hold back B's: one claim at a time per schema").hasSize(1);
            a.acknowledge(fromA.get(fromA.size() - 1).sequence()); // all five, up to the last
            assertThat(a.outboxSize()).isZero();
            assertThat(b.outboxSize()).as("acknowledging A's events leaves B's").isEqualTo(1);
        } finally {
            PG.execute("DROP SCHEMA IF EXISTS \"" + other + "\" CASCADE");
        }
    }
}
