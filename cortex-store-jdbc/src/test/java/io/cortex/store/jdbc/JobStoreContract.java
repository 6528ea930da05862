package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.OutboxEntry;
import io.cortex.core.store.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobStore} does, whatever keeps the jobs. The in-memory store runs it too, so the
 * contract is the reference store's behaviour, not the JDBC store's idea of it.
 */
abstract class JobStoreContract {
    protected JobStore store;
    protected Jobs jobs;

    /** A store with nothing in it. */
    protected abstract JobStore emptyStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = emptyStore();
        jobs = new Jobs(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void insertedJobComesBackAsStoredWithItsFirstEvent() {
        Job job = jobs.submitted("team", "ml");

        assertThat(store.get(job.id())).get().satisfies(j -> assertThat(Jobs.json(j)).isEqualTo(Jobs.json(job)));
        assertThat(store.events(job.id())).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(JobEvent.Type.SUBMITTED);
            assertThat(e.version()).isEqualTo(1);
        });
        assertThat(store.get(JobId.of("job_unknown"))).isEmpty();
        assertThat(store.events(JobId.of("job_unknown"))).isEmpty();
    }

    @Test
    void insertingAnExistingIdIsRefusedAndKeepsTheStoredJob() {
        Job job = jobs.submitted();
        Job.Change again = Job.create(job.id(), job.spec(), jobs.clock.instant());

        assertThatThrownBy(() -> store.insert(again.job(), again.event()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(job.id().value());
        assertThat(store.events(job.id())).hasSize(1);
        assertThat(store.outboxSize()).isEqualTo(1);
    }

    @Test
    void updateIsACompareAndSetOnTheVersion() {
        Job job = jobs.submitted();
        Job.Change first = job.assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
        Job.Change rival = job.cancel("rival", jobs.clock.instant());

        assertThat(store.update(first.job(), job.version(), first.event())).isTrue();
        assertThat(store.update(rival.job(), job.version(), rival.event())).isFalse();

        assertThat(store.get(job.id())).get().extracting(Job::state, Job::version).containsExactly(JobState.ASSIGNED, 2L);
        assertThat(store.events(job.id())).extracting(JobEvent::version).containsExactly(1L, 2L);
        assertThat(store.outboxSize()).isEqualTo(2);
    }

    @Test
    void updatingAJobThatIsNotStoredChangesNothing() {
        Job.Change ghost = Job.create(JobId.of("job_ghost"), jobs.submitted().spec(), jobs.clock.instant());
        Job.Change moved = ghost.job().assign(Jobs.ALPHA, jobs.clock.instant(), List.of());

        assertThat(store.update(moved.job(), 1, moved.event())).isFalse();
        assertThat(store.get(ghost.job().id())).isEmpty();
    }

    @Test
    void aJobInsertedWithTheChangesMadeBeforeItWasStoredKeepsEveryEventInOrder() {
        Job.Change created = jobs.created("placed");
        Job.Change assigned = created.job().assign(Jobs.ALPHA, jobs.clock.instant(), List.of());
        Job.Change started = assigned.job().start(jobs.clock.instant(), null);

        store.insert(List.of(created, assigned, started));

        JobId id = created.job().id();
        assertThat(store.get(id)).get().satisfies(j -> assertThat(Jobs.json(j)).isEqualTo(Jobs.json(started.job())));
        assertThat(store.events(id)).extracting(JobEvent::version, JobEvent::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, JobState.PENDING), org.assertj.core.groups.Tuple.tuple(2L, JobState.ASSIGNED),
                org.assertj.core.groups.Tuple.tuple(3L, JobState.RUNNING));
        assertThat(store.outbox(10)).extracting(e -> e.event().job().event().version(), e -> e.event().job().job().state())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, JobState.PENDING),
                        org.assertj.core.groups.Tuple.tuple(2L, JobState.ASSIGNED), org.assertj.core.groups.Tuple.tuple(3L, JobState.RUNNING));
        assertThat(store.query(JobQuery.all().withLabel("made", "by-test").onProvider(Jobs.ALPHA)).items()).extracting(Job::id)
                .containsExactly(id);
        assertThat(store.countByState()).containsEntry(JobState.RUNNING, 1L).containsEntry(JobState.PENDING, 0L);
    }

    @Test
    void aJobInsertedFinishedIsCountedFinishedAndNotActive() {
        Job.Change created = jobs.created("hopeless");
        Job.Change failed = created.job().fail(ReasonCode.NO_PROVIDER, "no provider can ever run it",
                jobs.clock.instant(), null, List.of());

        store.insert(List.of(created, failed));

        assertThat(store.get(created.job().id())).get().extracting(Job::state).isEqualTo(JobState.FAILED);
        assertThat(store.activeJobs()).isEmpty();
        assertThat(store.countByState()).containsEntry(JobState.FAILED, 1L).containsEntry(JobState.PENDING, 0L);
    }

    @Test
    void insertingChangesOfAnExistingIdIsRefusedAndKeepsTheStoredJob() {
        Job job = jobs.submitted();
        Job.Change again = Job.create(job.id(), job.spec(), jobs.clock.instant());
        Job.Change assigned = again.job().assign(Jobs.BETA, jobs.clock.instant(), List.of());

        assertThatThrownBy(() -> store.insert(List.of(again, assigned)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(job.id().value());
        assertThat(store.get(job.id())).get().extracting(Job::state, Job::version).containsExactly(JobState.PENDING, 1L);
        assertThat(store.events(job.id())).hasSize(1);
        assertThat(store.outboxSize()).isEqualTo(1);
    }

    @Test
    void successiveChangesAreOneCompareAndSet() {
        Job job = jobs.assigned(jobs.submitted(), Jobs.ALPHA);
        Job.Change started = job.start(jobs.clock.instant(), null);
        Job.Change done = started.job().succeed(jobs.clock.instant(), java.math.BigDecimal.ZERO);
        Job.Change rival = job.cancel("rival", jobs.clock.instant());

        assertThat(store.update(rival.job(), job.version(), rival.event())).isTrue();
        assertThat(store.update(job.version(), List.of(started, done))).isFalse();
        assertThat(store.get(job.id())).get().extracting(Job::state, Job::version).containsExactly(JobState.CANCELLED, 3L);
        assertThat(store.events(job.id())).extracting(JobEvent::version).containsExactly(1L, 2L, 3L);

        Job other = jobs.assigned(jobs.submitted(), Jobs.ALPHA);
        Job.Change otherStarted = other.start(jobs.clock.instant(), null);
        Job.Change otherDone = otherStarted.job().succeed(jobs.clock.instant(), java.math.BigDecimal.ZERO);
        assertThat(store.update(other.version(), List.of(otherStarted, otherDone))).isTrue();
        assertThat(store.get(other.id())).get().satisfies(j -> assertThat(Jobs.json(j)).isEqualTo(Jobs.json(otherDone.job())));
        assertThat(store.events(other.id())).extracting(JobEvent::version, JobEvent::to).endsWith(
                org.assertj.core.groups.Tuple.tuple(3L, JobState.RUNNING), org.assertj.core.groups.Tuple.tuple(4L, JobState.SUCCEEDED));
        assertThat(store.activeJobs()).isEmpty();
    }

    @Test
    void changesThatAreNotSuccessiveVersionsOfOneJobAreRejectedBeforeAnythingIsWritten() {
        Job job = jobs.assigned(jobs.submitted(), Jobs.ALPHA);
        Job.Change started = job.start(jobs.clock.instant(), null);
        Job.Change done = started.job().succeed(jobs.clock.instant(), java.math.BigDecimal.ZERO);
        Job.Change elsewhere = jobs.created("other");

        assertThatThrownBy(() -> store.update(job.version(), List.of(done)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changes[0] must be version 3");
        assertThatThrownBy(() -> store.update(job.version(), List.of(started, elsewhere)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changes[1] is a change of job");
        assertThatThrownBy(() -> store.update(job.version(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changes must not be empty");
        assertThatThrownBy(() -> store.insert(List.of(started)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changes[0] must be version 1");
        assertThat(store.get(job.id())).get().extracting(Job::version).isEqualTo(2L);
        assertThat(store.outboxSize()).isEqualTo(2);
    }

    @Test
    void historyComesOldestFirstAndTheStoredJobIsTheLatestVersion() {
        Job done = jobs.toSuccess(jobs.submitted());

        assertThat(store.events(done.id())).extracting(JobEvent::version, JobEvent::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, JobState.PENDING), org.assertj.core.groups.Tuple.tuple(2L, JobState.ASSIGNED),
                org.assertj.core.groups.Tuple.tuple(3L, JobState.RUNNING), org.assertj.core.groups.Tuple.tuple(4L, JobState.SUCCEEDED));
        assertThat(store.get(done.id())).get().satisfies(j -> assertThat(Jobs.json(j)).isEqualTo(Jobs.json(done)));
    }

    @Test
    void queriesFilterByStateProviderAndLabelsNewestFirstWithPaging() {
        Job a = jobs.submitted("team", "ml", "tier", "gold");
        Job b = jobs.assigned(jobs.submitted("team", "ml"), Jobs.BETA);
        Job c = jobs.toSuccess(jobs.submitted("team", "web"));
        Job d = jobs.submitted("team", "ml", "tier", "gold");

        assertThat(store.query(JobQuery.all()).items()).extracting(Job::id).containsExactly(d.id(), c.id(), b.id(), a.id());
        assertThat(store.query(JobQuery.inStates(JobState.PENDING)).items()).extracting(Job::id).containsExactly(d.id(), a.id());
        assertThat(store.query(JobQuery.inStates(JobState.PENDING, JobState.SUCCEEDED)).items()).extracting(Job::id)
                .containsExactly(d.id(), c.id(), a.id());
        assertThat(store.query(JobQuery.all().onProvider(Jobs.BETA)).items()).extracting(Job::id).containsExactly(b.id());
        assertThat(store.query(JobQuery.all().onProvider(Jobs.ALPHA)).items()).isEmpty(); // c's attempt is closed
        assertThat(store.query(JobQuery.all().withLabel("team", "ml").withLabel("tier", "gold")).items()).extracting(Job::id)
                .containsExactly(d.id(), a.id());
        assertThat(store.query(JobQuery.inStates(JobState.ASSIGNED).withLabel("team", "ml")).items()).extracting(Job::id)
                .containsExactly(b.id());
        assertThat(store.query(JobQuery.all().withLabel("team", "nobody")).total()).isZero();

        Page<Job> second = store.query(JobQuery.all().page(1, 2));
        assertThat(second.items()).extracting(Job::id).containsExactly(c.id(), b.id());
        assertThat(second.total()).isEqualTo(4);
        assertThat(second.hasMore()).isTrue();
        Page<Job> last = store.query(JobQuery.all().page(3, 2));
        assertThat(last.items()).extracting(Job::id).containsExactly(a.id());
        assertThat(last.total()).isEqualTo(4);
        assertThat(store.query(JobQuery.all().page(10, 2)).total()).isEqualTo(4);
    }

    @Test
    void activeJobsAreTheUnfinishedOnesAndCountsCoverEveryState() {
        Job pending = jobs.submitted();
        Job running = jobs.running(jobs.assigned(jobs.submitted(), Jobs.ALPHA));
        jobs.toSuccess(jobs.submitted());
        Job cancelled = jobs.submitted();
        jobs.move(cancelled, cancelled.cancel("no", jobs.clock.instant()));

        assertThat(store.activeJobs()).extracting(Job::id).containsExactlyInAnyOrder(pending.id(), running.id());
        Map<JobState, Long> counts = store.countByState();
        assertThat(counts).containsEntry(JobState.PENDING, 1L).containsEntry(JobState.RUNNING, 1L)
                .containsEntry(JobState.SUCCEEDED, 1L).containsEntry(JobState.CANCELLED, 1L)
                .containsEntry(JobState.ASSIGNED, 0L).containsEntry(JobState.FAILED, 0L);
    }

    @Test
    void outboxHoldsEveryChangeInVersionOrderUntilAcknowledged() {
        Job job = jobs.toSuccess(jobs.submitted());

        List<OutboxEntry> entries = store.outbox(100);
        assertThat(entries).extracting(e -> e.event().id()).containsExactly(
                eventId(job, 1), eventId(job, 2), eventId(job, 3), eventId(job, 4));
        assertThat(entries).extracting(OutboxEntry::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(entries.get(3).event().job().job().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(entries.get(3).event().type()).isEqualTo(EventTypes.JOB_STATUS_CHANGED);

        store.acknowledge(entries.get(1).sequence());
        List<OutboxEntry> rest = store.outbox(100);
        assertThat(rest).extracting(e -> e.event().id()).containsExactly(eventId(job, 3), eventId(job, 4));
        assertThat(store.outboxSize()).isEqualTo(2);

        store.acknowledge(rest.get(1).sequence());
        assertThat(store.outbox(100)).isEmpty();
        assertThat(store.outboxSize()).isZero();
    }

    @Test
    void outboxBatchesRespectTheLimitAndComeInOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Job j = jobs.assigned(jobs.submitted(), Jobs.ALPHA);
            expected.add(eventId(j, 1));
            expected.add(eventId(j, 2));
        }
        List<String> seen = new ArrayList<>();
        while (true) {
            List<OutboxEntry> batch = store.outbox(3);
            if (batch.isEmpty()) {
                break;
            }
            assertThat(batch).hasSizeLessThanOrEqualTo(3);
            batch.forEach(e -> seen.add(e.event().id()));
            store.acknowledge(batch.get(batch.size() - 1).sequence());
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void providerEventsGoThroughTheOutboxToo() {
        CortexEvent offline = CortexEvent.of("evt_p_alpha_1", EventTypes.PROVIDER_STATUS_CHANGED,
                new ProviderChange(Jobs.ALPHA, ProviderStatus.ONLINE, ProviderStatus.OFFLINE, ReasonCode.PROVIDER_OFFLINE,
                        "gone", jobs.clock.instant()));

        store.publish(offline);

        assertThat(store.outbox(10)).singleElement().satisfies(e -> assertThat(e.event()).isEqualTo(offline));
    }

    @Test
    void concurrentCompareAndSetsNeverLoseAnUpdate() throws Exception {
        Job job = jobs.submitted();
        int threads = 6;
        int rounds = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> wins = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                wins.add(pool.submit(() -> {
                    start.await();
                    int won = 0;
                    for (int i = 0; i < rounds; i++) {
                        Job current = store.get(job.id()).orElseThrow();
                        Job.Change c = current.waiting(ReasonCode.NO_CAPACITY, "round " + i + " of "
                                + Thread.currentThread().getName(), jobs.clock.instant(), List.of());
                        if (store.update(c.job(), current.version(), c.event())) {
                            won++;
                        }
                    }
                    return won;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : wins) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isPositive();
            assertThat(store.get(job.id())).get().extracting(Job::version).isEqualTo(1L + total);
            assertThat(store.events(job.id())).extracting(JobEvent::version).hasSize(1 + total).isSorted().doesNotHaveDuplicates();
            assertThat(store.outboxSize()).isEqualTo(1L + total);
        } finally {
            pool.shutdownNow();
        }
    }

    static String eventId(Job job, long version) {
        return "evt_" + job.id().value().substring(4) + "_" + version;
    }
}
