package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobState;
import io.cortex.core.store.DatabaseConfig;
import io.cortex.core.store.DatabaseConfigChange;
import io.cortex.core.store.DatabaseStatus;
import io.cortex.core.store.Lease;
import io.cortex.core.store.OptimizeReport;
import io.cortex.core.store.OutboxEntry;
import io.cortex.core.store.SlowQuery;
import io.cortex.core.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract, plus what only a database store does: survive, claim, lease, migrate, report. */
abstract class JdbcJobStoreContract extends JobStoreContract {
    /** A builder for this test's database, which {@link #emptyStore()} left empty. */
    protected abstract JdbcJobStore.Builder builder();

    /** Runs statements on the test's database, outside the store. */
    protected abstract void execute(String... sql) throws Exception;

    /** The schema version this code knows. */
    static final String CURRENT = "1";

    private JdbcJobStore jdbc() {
        return (JdbcJobStore) store;
    }

    @Test
    void jobsHistoryAndUndeliveredEventsSurviveAReopen() {
        Job job = jobs.running(jobs.assigned(jobs.submitted("team", "ml"), Jobs.ALPHA));
        store.close();

        store = builder().build();

        assertThat(store.get(job.id())).get().satisfies(j -> assertThat(Jobs.json(j)).isEqualTo(Jobs.json(job)));
        assertThat(store.events(job.id())).extracting(JobEvent::version).containsExactly(1L, 2L, 3L);
        assertThat(store.outbox(10)).extracting(e -> e.event().id())
                .containsExactly(eventId(job, 1), eventId(job, 2), eventId(job, 3));
        assertThat(store.activeJobs()).extracting(Job::id).containsExactly(job.id());
    }

    @Test
    void anUnacknowledgedClaimComesAgainWithTheSameIds() {
        Job job = jobs.assigned(jobs.submitted(), Jobs.ALPHA);

        List<OutboxEntry> first = store.outbox(10);
        List<OutboxEntry> again = store.outbox(10); // the first claim was never acknowledged: it is given back

        assertThat(again).extracting(e -> e.event().id()).containsExactly(eventId(job, 1), eventId(job, 2))
                .isEqualTo(first.stream().map(e -> e.event().id()).toList());
        assertThat(again).extracting(OutboxEntry::sequence).isEqualTo(first.stream().map(OutboxEntry::sequence).toList());
    }

    @Test
    void aSecondDrainerSkipsClaimedEntriesAndTheLaterEntriesOfTheirJobs() {
        Job x = jobs.assigned(jobs.submitted(), Jobs.ALPHA);
        Job y = jobs.submitted();
        try (JdbcJobStore other = builder().shared(true).build()) {
            List<OutboxEntry> mine = store.outbox(1);
            assertThat(mine).extracting(e -> e.event().id()).containsExactly(eventId(x, 1));

            List<OutboxEntry> theirs = other.outbox(10);
            assertThat(theirs).as("x's version 2 waits until x's version 1 is delivered")
                    .extracting(e -> e.event().id()).containsExactly(eventId(y, 1));

            other.acknowledge(theirs.get(0).sequence());
            store.acknowledge(mine.get(0).sequence());
            assertThat(other.outbox(10)).extracting(e -> e.event().id()).containsExactly(eventId(x, 2));
        }
    }

    @Test
    void aLeaseIsExclusiveUntilReleasedOrExpired() {
        assertThat(store.tryLease("outbox", "a", Duration.ofSeconds(30))).isTrue();
        assertThat(store.tryLease("outbox", "b", Duration.ofSeconds(30))).isFalse();
        assertThat(store.tryLease("outbox", "a", Duration.ofSeconds(30))).as("renewal").isTrue();
        assertThat(store.lease("outbox")).get().extracting(Lease::owner).isEqualTo("a");

        store.releaseLease("outbox", "b"); // not b's: nothing happens
        assertThat(store.tryLease("outbox", "b", Duration.ofSeconds(30))).isFalse();
        store.releaseLease("outbox", "a");
        assertThat(store.lease("outbox")).isEmpty();
        assertThat(store.tryLease("outbox", "b", Duration.ofSeconds(30))).isTrue();

        assertThat(store.tryLease("short", "a", Duration.ofMillis(300))).isTrue();
        assertThat(store.tryLease("short", "b", Duration.ofSeconds(30))).isFalse();
        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> store.tryLease("short", "b", Duration.ofSeconds(30)));
        assertThat(store.tryLease("short", "a", Duration.ofSeconds(30))).as("a's lease expired and b took it").isFalse();
        assertThat(store.lease("short")).get().extracting(Lease::owner).isEqualTo("b");
    }

    @Test
    void closingAStoreReleasesTheLeasesTakenThroughIt() {
        JdbcJobStore other = builder().build();
        assertThat(other.tryLease("outbox", "engine-1", Duration.ofMinutes(5))).isTrue();

        other.close();

        assertThat(store.lease("outbox")).isEmpty();
        assertThat(store.tryLease("outbox", "engine-2", Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void aSchemaNewerThanThisCortexIsRefusedNamingTheVersions() throws Exception {
        store.close();
        execute("INSERT INTO \"cortex_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", "
                + "\"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (90, '2', "
                + "'from the future', 'SQL', 'V2__from_the_future.sql', 1, 'test', 1, TRUE)",
                "INSERT INTO \"cortex_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", "
                + "\"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (91, '3', "
                + "'further', 'SQL', 'V3__further.sql', 1, 'test', 1, TRUE)");
        try {
            assertThatThrownBy(() -> builder().build())
                    .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                        assertThat(e.unknownVersions()).containsExactly("2", "3");
                        assertThat(e.knownVersion()).isEqualTo(CURRENT);
                    })
                    .hasMessageContaining("version(s) 2, 3 applied").hasMessageContaining("knows versions up to " + CURRENT);
        } finally {
            execute("DELETE FROM \"cortex_schema_history\" WHERE \"installed_rank\" >= 90");
            store = builder().build();
        }
    }

    @Test
    void aMigrationChangedAfterItWasAppliedIsRefusedByItsChecksum() throws Exception {
        store.close();
        execute("UPDATE \"cortex_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '1'");
        try {
            assertThatThrownBy(() -> builder().build()).isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining("checksum").hasMessageContaining("version 1");
        } finally {
            execute("UPDATE \"cortex_schema_history\" SET \"checksum\" = \"checksum\" - 1 WHERE \"version\" = '1'");
            store = builder().build();
        }
    }

    @Test
    void statusSaysTheDatabaseIsUpWithItsVersionAndCounts() {
        jobs.submitted();

        DatabaseStatus status = jdbc().status();

        assertThat(status.up()).isTrue();
        assertThat(status.message()).isEqualTo("ok");
        assertThat(status.product()).isNotBlank();
        assertThat(status.schemaVersion()).isEqualTo(CURRENT);
        assertThat(status.pingMillis()).isNotNegative();
        assertThat(status.outboxSize()).isEqualTo(1);
        assertThat(status.connections().maximum()).isEqualTo(jdbc().config().poolSize());
        assertThat(status.url()).doesNotContain("password=");
        assertThat(jdbc().describe()).contains("1 jobs, 1 active, 1 events to publish");

        store.close();
        assertThat(jdbc().status().up()).isFalse();
        assertThat(jdbc().status().message()).contains("closed");
        assertThatThrownBy(() -> store.get(io.cortex.core.job.JobId.of("job_x"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void slowStatementsAreRecordedNewestFirstInABoundedRing() {
        store.close();
        store = builder().slowQueryCapacity(5).build();
        jobs = new Jobs(store);
        assertThat(jdbc().slowQueries()).as("nothing is that slow at 200 ms").isEmpty();

        jdbc().updateConfig(DatabaseConfigChange.none().withSlowQueryThreshold(0));
        Job job = jobs.submitted();
        store.get(job.id());

        List<SlowQuery> slow = jdbc().slowQueries();
        assertThat(slow).hasSize(5);
        assertThat(slow.get(0).statement()).isEqualTo("SELECT document FROM cortex_job WHERE id = ?");
        assertThat(slow).extracting(SlowQuery::statement).contains("COMMIT");
        assertThat(slow).extracting(SlowQuery::at).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(jdbc().status().slowQueries()).isGreaterThan(5);

        jdbc().clearSlowQueries();
        assertThat(jdbc().slowQueries()).isEmpty();
    }

    @Test
    void aFailingStatementIsRecordedWithItsError() {
        jdbc().updateConfig(DatabaseConfigChange.none().withSlowQueryThreshold(0));
        Job job = jobs.submitted();
        jdbc().clearSlowQueries();

        assertThatThrownBy(() -> store.insert(job, store.events(job.id()).get(0))).isInstanceOf(IllegalStateException.class);

        assertThat(jdbc().slowQueries()).anySatisfy(q -> {
            assertThat(q.statement()).startsWith("INSERT INTO cortex_job ");
            assertThat(q.error()).isNotNull();
        });
    }

    @Test
    void aPoolTooSmallFailsCallersAfterTheConnectionTimeoutAndGrowsAtRunTime() {
        store.close();
        store = builder().poolSize(1).connectionTimeout(Duration.ofMillis(300)).build();
        jobs = new Jobs(store);
        Job job = jobs.submitted();

        List<OutboxEntry> claim = store.outbox(10); // holds the pool's only connection until acknowledged
        assertThat(jdbc().connections()).extracting(c -> c.active(), c -> c.maximum()).containsExactly(1, 1);
        assertThatThrownBy(() -> store.get(job.id())).isInstanceOf(StoreException.class)
                .hasMessageContaining("read job " + job.id());

        DatabaseConfig now = jdbc().updateConfig(DatabaseConfigChange.none().withPoolSize(2).withIdleTimeout(30_000)
                .withConnectionTimeout(5_000));

        assertThat(now).isEqualTo(new DatabaseConfig(2, 2, 30_000, 5_000, 200));
        assertThat(jdbc().config()).isEqualTo(now);
        assertThat(store.get(job.id())).as("the pool opened a second connection").isPresent();
        store.acknowledge(claim.get(0).sequence());
        assertThat(store.outboxSize()).isZero();
    }

    @Test
    void callersWaitingForAConnectionShowInTheCounts() throws Exception {
        store.close();
        store = builder().poolSize(1).connectionTimeout(Duration.ofSeconds(20)).build();
        jobs = new Jobs(store);
        Job job = jobs.submitted();
        List<OutboxEntry> claim = store.outbox(10);
        java.util.concurrent.ExecutorService caller = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> store.get(job.id()).isPresent(), caller);

            await().atMost(10, TimeUnit.SECONDS).until(() -> jdbc().connections().waiting() == 1);
            store.acknowledge(claim.get(0).sequence());

            assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jdbc().connections().waiting()).isZero();
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void inconsistentSettingsAreRefusedAndChangeNothing() {
        DatabaseConfig before = jdbc().config();

        assertThatThrownBy(() -> jdbc().updateConfig(DatabaseConfigChange.none().withMinimumIdle(before.poolSize() + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumIdle");
        assertThatThrownBy(() -> DatabaseConfigChange.none().withIdleTimeout(5_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> DatabaseConfigChange.none().withConnectionTimeout(100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectionTimeout");
        assertThat(jdbc().config()).isEqualTo(before);
    }

    @Test
    void optimizeRunsTheDatabasesUpkeep() {
        jobs.toSuccess(jobs.submitted());

        OptimizeReport report = jdbc().optimize();

        assertThat(report.statements()).isNotEmpty().allSatisfy(s -> assertThat(s).containsIgnoringCase("ANALYZE"));
        assertThat(report.durationMillis()).isNotNegative();
        assertThat(store.countByState()).containsEntry(JobState.SUCCEEDED, 1L);
    }
}
