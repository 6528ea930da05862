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
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.Lease;
import io.cortex.core.store.OptimizeReport;
import io.cortex.core.store.OutboxEntry;
import io.cortex.core.store.SlowQuery;
import io.cortex.core.store.StoreException;
import io.cortex.store.jdbc.internal.GroupCommit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract, plus what only a database store does: survive, claim, lease, migrate, report. */
abstract class JdbcJobStoreContract extends JobStoreContract {
    /** A builder for this test's database, which {@link #emptyStore()} left empty. */
    protected abstract JdbcJobStore.Builder builder();

    /** Runs statements on the test's database, outside the store. */
    protected abstract void execute(String... sql) throws Exception;

    /** A connection to the test's database, outside the store. */
    protected abstract Connection connect() throws Exception;

    /** A builder for a store whose connections wait long enough for a row lock a test holds. */
    protected JdbcJobStore.Builder lockPatientBuilder() {
        return builder();
    }

    /** Whether a second drainer gets nothing while another's claim is open (else it skips the locked rows). */
    protected boolean claimsOneAtATime() {
        return false;
    }

    /** The schema version this code knows for the test's database. */
    protected abstract String currentVersion();

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
        store.close();
        store = builder().shared(true).build(); // two drainers: a database several engines share
        jobs = new Jobs(store);
        Job x = jobs.assigned(jobs.submitted(), Jobs.ALPHA);
        Job y = jobs.submitted();
        try (JdbcJobStore other = builder().shared(true).build()) {
            List<OutboxEntry> mine = store.outbox(1);
            assertThat(mine).extracting(e -> e.event().id()).containsExactly(eventId(x, 1));

            List<OutboxEntry> theirs = other.outbox(10);
            if (claimsOneAtATime()) {
                assertThat(theirs).as("one claim at a time: the second drainer waits for the first").isEmpty();
                store.acknowledge(mine.get(0).sequence());
                assertThat(other.outbox(10)).extracting(e -> e.event().id()).containsExactly(eventId(x, 2), eventId(y, 1));
                return;
            }
            assertThat(theirs).as("x's version 2 waits until x's version 1 is delivered")
                    .extracting(e -> e.event().id()).containsExactly(eventId(y, 1));

            other.acknowledge(theirs.get(0).sequence());
            store.acknowledge(mine.get(0).sequence());
            assertThat(other.outbox(10)).extracting(e -> e.event().id()).containsExactly(eventId(x, 2));
        }
    }

    @Test
    void aClaimGivenBackLetsTheOtherDrainerTakeEverything() {
        store.close();
        store = builder().shared(true).build();
        jobs = new Jobs(store);
        Job x = jobs.assigned(jobs.submitted(), Jobs.ALPHA);
        try (JdbcJobStore other = builder().shared(true).build()) {
            assertThat(store.outbox(1)).hasSize(1);
            store.close(); // the open claim is given back with the store

            assertThat(other.outbox(10)).extracting(e -> e.event().id()).containsExactly(eventId(x, 1), eventId(x, 2));
        }
    }

    @Test
    void aJobAnotherEngineChangedIsReadAsStoredNotAsThisStoreLastSawIt() {
        store.close();
        store = builder().shared(true).build(); // two engines: a database several engines share
        jobs = new Jobs(store);
        Job job = jobs.submitted();
        assertThat(store.get(job.id())).get().extracting(Job::version).isEqualTo(1L);
        try (JdbcJobStore other = builder().shared(true).build()) {
            Job.Change assigned = job.assign(Jobs.BETA, jobs.clock.instant(), List.of());
            assertThat(other.update(assigned.job(), job.version(), assigned.event())).isTrue();

            assertThat(store.get(job.id())).get().satisfies(j -> assertThat(Jobs.json(j)).isEqualTo(Jobs.json(assigned.job())));
            assertThat(store.activeJobs()).extracting(Job::version).containsExactly(2L);
            assertThat(store.outbox(10)).extracting(e -> e.event().job().job().version()).containsExactly(1L, 2L);
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
                + "\"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (90, '90', "
                + "'from the future', 'SQL', 'V90__from_the_future.sql', 1, 'test', 1, TRUE)",
                "INSERT INTO \"cortex_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", "
                + "\"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (91, '91', "
                + "'further', 'SQL', 'V91__further.sql', 1, 'test', 1, TRUE)");
        try {
            assertThatThrownBy(() -> builder().build())
                    .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                        assertThat(e.unknownVersions()).containsExactly("90", "91");
                        assertThat(e.knownVersion()).isEqualTo(currentVersion());
                    })
                    .hasMessageContaining("version(s) 90, 91 applied")
                    .hasMessageContaining("knows versions up to " + currentVersion());
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
        assertThat(status.schemaVersion()).isEqualTo(currentVersion());
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
        jobs.submitted();
        jobs.submitted();
        jobs.submitted();
        store.get(io.cortex.core.job.JobId.of("job_unknown")); // not in any cache: read from the database

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
    void aFailingStatementIsRecordedWithItsError() throws Exception {
        jdbc().updateConfig(DatabaseConfigChange.none().withSlowQueryThreshold(0));
        execute(POISON);
        try {
            Job.Change poisoned = jobs.created("poison");
            jdbc().clearSlowQueries();

            assertThatThrownBy(() -> store.insert(poisoned.job(), poisoned.event())).isInstanceOf(StoreException.class)
                    .hasMessageContaining("insert job " + poisoned.job().id())
                    .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase(POISON_NAME));

            assertThat(jdbc().slowQueries()).anySatisfy(q -> {
                assertThat(q.statement()).contains("INSERT INTO cortex_job ");
                assertThat(q.error()).isNotNull();
            });
        } finally {
            execute(UNPOISON);
        }
    }

    /** Refuses jobs whose id holds "poison": a statement that fails for one write of a batch alone. */
    static final String POISON_NAME = "cortex_test_poison";
    static final String POISON = "ALTER TABLE cortex_job ADD CONSTRAINT " + POISON_NAME + " CHECK (id NOT LIKE '%poison%')";
    static final String UNPOISON = "ALTER TABLE cortex_job DROP CONSTRAINT " + POISON_NAME;

    @Test
    void aWriteWhoseStatementFailsInAGroupCommitFailsAloneAndTheOthersOfItsTransactionCommit() throws Exception {
        store.close();
        store = lockPatientBuilder().build();
        jobs = new Jobs(store);
        Job held = jobs.submitted();
        Job rival = jobs.submitted();
        execute(POISON);
        GroupCommit writer = jdbc().groupCommit();
        ExecutorService callers = Executors.newFixedThreadPool(9);
        try (Connection holder = connect()) {
            // Given a transaction outside the store holding the row of job `held`
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement("SELECT id FROM cortex_job WHERE id = ? FOR UPDATE")) {
                ps.setString(1, held.id().value());
                ps.executeQuery().close();
            }
            // and the store's writer waiting for it with a write to that job
            long begun = writer.batchesBegun();
            Job.Change assign = held.assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
            Future<Boolean> first = callers.submit(() -> store.update(assign.job(), held.version(), assign.event()));
            await().atMost(10, TimeUnit.SECONDS).until(() -> writer.batchesBegun() == begun + 1 && writer.queued() == 0);

            // When eight writes queue up meanwhile: six inserts, a poisoned insert, and a refused compare-and-set
            List<Job.Change> good = new ArrayList<>();
            List<Future<?>> inserts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Job.Change c = jobs.created("ok" + i);
                good.add(c);
                inserts.add(callers.submit(() -> store.insert(c.job(), c.event())));
            }
            Job.Change poisoned = jobs.created("poison");
            Future<?> bad = callers.submit(() -> store.insert(poisoned.job(), poisoned.event()));
            Job.Change stale = rival.cancel("stale", jobs.clock.instant());
            Future<Boolean> refused = callers.submit(() -> store.update(stale.job(), rival.version() + 5, stale.event()));
            await().atMost(10, TimeUnit.SECONDS).until(() -> writer.queued() == 8);
            long fallbacks = writer.fallbacks();
            holder.commit();

            // Then the eight share one transaction, in which only the poisoned insert fails
            assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
            for (Future<?> f : inserts) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining(poisoned.job().id().value());
            assertThat(refused.get(30, TimeUnit.SECONDS)).as("a compare-and-set on another version is refused, not failed")
                    .isFalse();
            assertThat(writer.largestBatch()).isEqualTo(8);
            assertThat(writer.fallbacks()).as("the failed batch was run again one by one").isEqualTo(fallbacks + 1);
            for (Job.Change c : good) {
                assertThat(store.get(c.job().id())).as("%s committed beside the poisoned insert", c.job().id()).isPresent();
                assertThat(store.events(c.job().id())).hasSize(1);
            }
            assertThat(store.get(poisoned.job().id())).isEmpty();
            assertThat(store.events(poisoned.job().id())).isEmpty();
            assertThat(store.get(rival.id())).get().extracting(Job::state).isEqualTo(JobState.PENDING);
            assertThat(store.outboxSize()).as("two submits, an assignment and six submits").isEqualTo(9);
        } finally {
            callers.shutdownNow();
            execute(UNPOISON);
        }
    }

    @Test
    void concurrentWritesShareTransactionsAndEachCallerGetsItsOwnResult() throws Exception {
        int threads = 8;
        int perThread = 25;
        GroupCommit writer = jdbc().groupCommit();
        long transactionsBefore = writer.transactions();
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Job>>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                done.add(callers.submit(() -> {
                    start.await();
                    List<Job> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Job j = jobs.submitted();
                        Job.Change c = j.assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
                        assertThat(store.update(c.job(), j.version(), c.event())).isTrue();
                        assertThat(store.update(c.job(), j.version(), c.event())).as("the same CAS again").isFalse();
                        mine.add(c.job());
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Job> all = new ArrayList<>();
            for (Future<List<Job>> f : done) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }

            for (Job j : all) {
                assertThat(store.get(j.id())).get().extracting(Job::version, Job::state).containsExactly(2L, JobState.ASSIGNED);
            }
            assertThat(store.outboxSize()).isEqualTo(2L * threads * perThread);
            long writes = 3L * threads * perThread;
            long transactions = writer.transactions() - transactionsBefore;
            System.out.println(getClass().getSimpleName() + ": " + writes + " writes from " + threads + " threads in "
                    + transactions + " transactions (largest " + writer.largestBatch() + ")");
            assertThat(transactions).as("writes of concurrent callers share transactions").isLessThan(writes);
        } finally {
            callers.shutdownNow();
        }
    }

    /** Holds the row of {@code job} in a transaction of {@code holder} until it commits or rolls back. */
    private static void lockRow(Connection holder, Job job) throws Exception {
        holder.setAutoCommit(false);
        try (PreparedStatement ps = holder.prepareStatement("SELECT id FROM cortex_job WHERE id = ? FOR UPDATE")) {
            ps.setString(1, job.id().value());
            ps.executeQuery().close();
        }
    }

    @Test
    void aWriteNobodyWaitsForReturnsAtOnceAndItsStageCompletesWithTheOutcomeOnceCommitted() throws Exception {
        store.close();
        store = lockPatientBuilder().build();
        jobs = new Jobs(store);
        Job held = jobs.submitted();
        Job other = jobs.submitted();
        try (Connection holder = connect()) {
            // Given the row of `held` locked by a transaction outside the store
            lockRow(holder, held);
            Job.Change assign = held.assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
            Job.Change start = assign.job().start(jobs.clock.instant(), null);

            // and another job moved since it was read
            Job.Change otherAssigned = other.assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
            assertThat(store.update(otherAssigned.job(), other.version(), otherAssigned.event())).isTrue();

            // When the next two moves of `held` are written without waiting, and a move of the other one from its old version
            GroupCommit writer = jdbc().groupCommit();
            long begun = writer.batchesBegun();
            CompletableFuture<Boolean> moved = store.updateLater(held.version(), List.of(assign, start)).toCompletableFuture();
            await().atMost(10, TimeUnit.SECONDS).until(() -> writer.batchesBegun() == begun + 1 && writer.queued() == 0);
            Job.Change stale = other.cancel("stale", jobs.clock.instant());
            CompletableFuture<Boolean> refused = store.updateLater(other.version(), List.of(stale)).toCompletableFuture();

            // Then the calls returned, and the first write waits in its transaction for the held row: nothing is decided yet
            await().during(200, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> !moved.isDone());
            List<String> completedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
            moved.whenComplete((ok, e) -> completedOn.add(Thread.currentThread().getName()));
            holder.commit();

            // and once the lock is gone the move commits, the stale one is refused, neither fails
            assertThat(moved.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.get(30, TimeUnit.SECONDS)).as("a compare-and-set on another version").isFalse();
            assertThat(store.get(held.id())).get().extracting(Job::version, Job::state).containsExactly(3L, JobState.RUNNING);
            assertThat(store.events(held.id())).extracting(JobEvent::version).containsExactly(1L, 2L, 3L);
            assertThat(store.get(other.id())).get().extracting(Job::state).isEqualTo(JobState.ASSIGNED);
            assertThat(completedOn).as("no caller was there to lead it: the store's own writer did")
                    .singleElement().asString().endsWith("-writer");
        }
    }

    @Test
    void aWriteNobodyWaitsForThatBreaksCompletesItsStageWithTheErrorAndTheStoreWritesOn() throws Exception {
        store.close();
        store = faultBuilder().poolName(faultPoolName()).build();
        jobs = new Jobs(store);
        Job held = jobs.submitted();
        GroupCommit writer = jdbc().groupCommit();
        try (Connection holder = connect()) {
            lockRow(holder, held);
            long begun = writer.batchesBegun();
            Job.Change assign = held.assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
            CompletableFuture<Boolean> lost = store.updateLater(held.version(), List.of(assign)).toCompletableFuture();
            await().atMost(10, TimeUnit.SECONDS).until(() -> writer.batchesBegun() == begun + 1 && writer.queued() == 0);

            breakTheWaitingWrite(holder);

            assertThatThrownBy(() -> lost.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("update job " + held.id());
            assertThat(writer.unawaited()).isZero();
            holder.rollback();
            assertThat(store.get(held.id())).get().extracting(Job::version).as("the broken write did not commit").isEqualTo(1L);
            assertThat(store.updateLater(held.version(), List.of(assign)).toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .as("the store writes on").isTrue();
        }
    }

    @Test
    void closingTheStoreCommitsTheWritesNobodyWaitedForFirst() throws Exception {
        store.close();
        store = lockPatientBuilder().build();
        jobs = new Jobs(store);
        Job held = jobs.submitted();
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try (Connection holder = connect()) {
            lockRow(holder, held);
            Job.Change assign = held.assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
            CompletableFuture<Boolean> moved = store.updateLater(held.version(), List.of(assign)).toCompletableFuture();
            Future<?> closing = closer.submit(store::close);
            await().during(200, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> !closing.isDone());
            assertThatThrownBy(() -> store.updateLater(assign.job().version(), List.of(assign.job().start(jobs.clock.instant(), null))))
                    .as("a closing store takes no new writes").isInstanceOf(IllegalStateException.class);

            holder.commit();

            closing.get(30, TimeUnit.SECONDS);
            assertThat(moved).isCompletedWithValue(true);
        } finally {
            closer.shutdownNow();
        }
        store = builder().build();
        assertThat(store.get(held.id())).get().extracting(Job::state).as("committed before the store closed")
                .isEqualTo(JobState.ASSIGNED);
    }

    /** The rows of {@code table} (history or labels) that belong to {@code job}, read past the store. */
    private long rowsOf(Job job, String table) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE job_id = ?")) {
            ps.setString(1, job.id().value());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void retentionKeepsTheMostRecentlySubmittedFinishedJobsUpToItsCount() {
        store.close();
        store = builder().retention(3, Duration.ofDays(365L * 1000)).build();
        jobs = new Jobs(store);
        List<Job> finished = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            finished.add(jobs.toSuccess(jobs.submitted("n", Integer.toString(i))));
        }
        Job pending = jobs.submitted();
        Job running = jobs.running(jobs.assigned(jobs.submitted(), Jobs.ALPHA));
        long outbox = store.outboxSize();

        int dropped = jdbc().purgeFinished();

        assertThat(dropped).isEqualTo(3);
        assertThat(DurabilityChecks.allJobs(store)).extracting(Job::id).containsExactlyInAnyOrder(finished.get(3).id(),
                finished.get(4).id(), finished.get(5).id(), pending.id(), running.id());
        assertThat(store.events(finished.get(0).id())).as("history goes with the job").isEmpty();
        assertThat(store.query(JobQuery.all().withLabel("n", "0")).total()).as("labels go with the job").isZero();
        for (Job gone : finished.subList(0, 3)) {
            assertThat(rowsOf(gone, "cortex_job_event")).as("history rows of %s", gone.id()).isZero();
            assertThat(rowsOf(gone, "cortex_job_label")).as("label rows of %s", gone.id()).isZero();
        }
        assertThat(rowsOf(finished.get(3), "cortex_job_event")).as("a kept job keeps its history").isEqualTo(4);
        assertThat(rowsOf(finished.get(3), "cortex_job_label")).as("and its labels").isEqualTo(1);
        assertThat(store.outboxSize()).as("undelivered events of dropped jobs are still delivered").isEqualTo(outbox);
        assertThat(jdbc().purgeFinished()).as("nothing more to drop").isZero();
    }

    @Test
    void retentionDropsJobsThatFinishedLongerAgoThanItsAgeByTheGivenClock() {
        store.close();
        io.cortex.core.ManualClock clock = new io.cortex.core.ManualClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store = builder().retention(Integer.MAX_VALUE, Duration.ofHours(1)).clock(clock).build();
        jobs = new Jobs(store, clock);
        Job old = jobs.toSuccess(jobs.submitted());
        Job failedOld = jobs.move(jobs.submitted(), jobs.submitted().cancel("x", clock.instant()));
        clock.advance(Duration.ofMinutes(30));
        Job recent = jobs.toSuccess(jobs.submitted());
        Job longRunning = jobs.running(jobs.assigned(jobs.submitted(), Jobs.ALPHA));
        clock.advance(Duration.ofMinutes(45)); // old finished 75 minutes ago, recent 45

        assertThat(jdbc().purgeFinished()).isEqualTo(2);

        assertThat(store.get(old.id())).isEmpty();
        assertThat(store.get(failedOld.id())).isEmpty();
        assertThat(store.get(recent.id())).isPresent();
        assertThat(store.get(longRunning.id())).as("unfinished jobs are never dropped").isPresent();
    }

    @Test
    void retentionDeletesInBoundedBatchesAndRunsOnItsOwn() throws Exception {
        store.close();
        store = builder().retention(100, Duration.ofDays(1)).retentionInterval(Duration.ofMillis(200)).build();
        jobs = new Jobs(store);
        jdbc().updateConfig(DatabaseConfigChange.none().withSlowQueryThreshold(0));
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> made = new ArrayList<>();
            for (int i = 0; i < 1_300; i++) {
                made.add(callers.submit(jobs::storedSucceeded));
            }
            for (Future<?> f : made) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }

        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> store.countByState().get(JobState.SUCCEEDED) == 100);
        assertThat(jdbc().slowQueries()).as("1,200 jobs dropped at most 500 a statement")
                .filteredOn(q -> q.statement().contains("DELETE FROM cortex_job WHERE state IN"))
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(q -> assertThat(q.error()).isNull());
    }

    @Test
    void aWriteBrokenUnderABatchFailsAndTheWritesQueuedBehindItCommit() throws Exception {
        store.close();
        store = faultBuilder().poolName(faultPoolName()).build();
        jobs = new Jobs(store);
        Job held = jobs.submitted();
        GroupCommit writer = jdbc().groupCommit();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (Connection holder = connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement("SELECT id FROM cortex_job WHERE id = ? FOR UPDATE")) {
                ps.setString(1, held.id().value());
                ps.executeQuery().close();
            }
            long begun = writer.batchesBegun();
            Job.Change assign = held.assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
            Future<Boolean> lost = callers.submit(() -> store.update(assign.job(), held.version(), assign.event()));
            await().atMost(10, TimeUnit.SECONDS).until(() -> writer.batchesBegun() == begun + 1 && writer.queued() == 0);
            List<Job.Change> next = new ArrayList<>();
            List<Future<?>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Job.Change c = jobs.created("next" + i);
                next.add(c);
                queued.add(callers.submit(() -> store.insert(c.job(), c.event())));
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> writer.queued() == 3 || lost.isDone());

            breakTheWaitingWrite(holder);

            assertThatThrownBy(() -> lost.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("update job " + held.id())
                    .satisfies(e -> assertThat(e.getMessage()).as("no job document in errors (they reach logs)")
                            .doesNotContain("\"spec\"").doesNotContain("acme/app"));
            for (Future<?> f : queued) {
                f.get(30, TimeUnit.SECONDS);
            }
            holder.rollback();
            for (Job.Change c : next) {
                assertThat(store.get(c.job().id())).isPresent();
            }
            assertThat(store.get(held.id())).get().extracting(Job::version).as("the lost write did not commit").isEqualTo(1L);
            Job.Change again = held.assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
            assertThat(store.update(again.job(), held.version(), again.event())).as("the store writes on").isTrue();
        } finally {
            callers.shutdownNow();
        }
    }

    /** A builder for a store whose write waiting for a lock a test holds can be broken by {@link #breakTheWaitingWrite}. */
    protected JdbcJobStore.Builder faultBuilder() {
        return lockPatientBuilder();
    }

    /**
     * The pool name of the store {@link #breakTheWaitingWrite} breaks; a database server may be shared
     * by concurrent test runs, so a name that finds the connection must be this run's alone.
     */
    protected String faultPoolName() {
        return "cortex-fault";
    }

    /** Breaks the store's write that waits for a lock {@code holder} holds (the connection dropped, or a timeout). */
    protected abstract void breakTheWaitingWrite(Connection holder) throws Exception;

    @Test
    void aPoolTooSmallFailsCallersAfterTheConnectionTimeoutAndGrowsAtRunTime() {
        store.close();
        store = builder().poolSize(1).connectionTimeout(Duration.ofMillis(300)).shared(true).build(); // claims hold a connection
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
        store = builder().poolSize(1).connectionTimeout(Duration.ofSeconds(20)).shared(true).build(); // claims hold a connection
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
