package io.cortex.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.ManualClock;
import io.cortex.core.event.EventTypes;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryJobStoreTest {
    private static final AtomicLong IDS = new AtomicLong();
    private final ManualClock clock = new ManualClock();
    private final ProviderId alpha = ProviderId.of("alpha");

    private Job insertPending(InMemoryJobStore store, String label) {
        Job.Change c = Job.create(JobId.of("job_t" + IDS.incrementAndGet()),
                JobSpec.builder().image("acme/app:1").label("team", label).build(), clock.instant());
        store.insert(c.job(), c.event());
        clock.advance(Duration.ofMillis(1));
        return c.job();
    }

    private Job move(InMemoryJobStore store, Job job, Job.Change c) {
        assertThat(store.update(c.job(), job.version(), c.event())).isTrue();
        return c.job();
    }

    private Job runToSuccess(InMemoryJobStore store, Job job) {
        job = move(store, job, job.assign(alpha, clock.instant(), List.of()));
        job = move(store, job, job.start(clock.instant(), null));
        return move(store, job, job.succeed(clock.instant(), BigDecimal.ZERO));
    }

    private static String eventId(Job job, long version) {
        return "evt_" + job.id().value().substring(4) + "_" + version;
    }

    @Test
    void updateIsACompareAndSetOnTheVersion() {
        InMemoryJobStore store = new InMemoryJobStore();
        Job job = insertPending(store, "a");
        Job.Change first = job.assign(alpha, clock.instant(), List.of());
        Job.Change rival = job.cancel("rival", clock.instant());

        assertThat(store.update(first.job(), job.version(), first.event())).isTrue();
        assertThat(store.update(rival.job(), job.version(), rival.event())).isFalse();
        assertThat(store.get(job.id())).get().extracting(Job::state).isEqualTo(JobState.ASSIGNED);
        assertThat(store.events(job.id())).hasSize(2);
    }

    @Test
    void insertingAnExistingIdIsRefusedAndKeepsTheStoredJob() {
        InMemoryJobStore store = new InMemoryJobStore();
        Job job = insertPending(store, "a");
        Job.Change again = Job.create(job.id(), JobSpec.builder().image("other/app:2").build(), clock.instant());

        assertThatThrownBy(() -> store.insert(again.job(), again.event()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(job.id().value());
        assertThat(store.get(job.id()).orElseThrow().spec().image().repository()).isEqualTo("acme/app");
    }

    @Test
    void outboxHoldsEveryChangeInVersionOrderUntilAcknowledged() {
        InMemoryJobStore store = new InMemoryJobStore();
        Job job = runToSuccess(store, insertPending(store, "a"));

        List<OutboxEntry> entries = store.outbox(100);
        assertThat(entries).extracting(e -> e.event().job().event().version()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(entries).extracting(e -> e.event().type()).containsExactly(EventTypes.JOB_UPDATED,
                EventTypes.JOB_STATUS_CHANGED, EventTypes.JOB_STATUS_CHANGED, EventTypes.JOB_STATUS_CHANGED);
        assertThat(entries.get(3).event().job().job().state()).isEqualTo(job.state());

        store.acknowledge(entries.get(1).sequence());
        assertThat(store.outbox(100)).hasSize(2);
        assertThat(store.outboxSize()).isEqualTo(2);
    }

    @Test
    void drainingTheOutboxHandsEventsOverInOrderAndTakesThemAway() {
        InMemoryJobStore store = new InMemoryJobStore();
        Job first = runToSuccess(store, insertPending(store, "a"));
        Job second = insertPending(store, "b");
        List<String> seen = new java.util.ArrayList<>();

        int n = store.drainOutbox(3, e -> seen.add(e.id()));

        assertThat(n).isEqualTo(3);
        assertThat(seen).containsExactly(eventId(first, 1), eventId(first, 2),
                eventId(first, 3));
        assertThat(store.outboxSize()).isEqualTo(2);
        // what is left keeps counting on from the events taken: sequences are positions in the outbox
        assertThat(store.outbox(10)).extracting(OutboxEntry::sequence).containsExactly(4L, 5L);
        store.acknowledge(4);
        assertThat(store.drainOutbox(10, e -> seen.add(e.id()))).isEqualTo(1);
        assertThat(seen).last().isEqualTo(eventId(second, 1));
        assertThat(store.outboxSize()).isZero();
        assertThat(store.drainOutbox(10, e -> seen.add(e.id()))).isZero();
    }

    /** A job inserted with its placement (one write of two changes), then started and finished in one more. */
    private Job runInTwoWrites(InMemoryJobStore store) {
        Job.Change created = Job.create(JobId.of("job_w" + IDS.incrementAndGet()),
                JobSpec.builder().image("acme/app:1").build(), clock.instant());
        Job.Change assigned = created.job().assign(alpha, clock.instant(), List.of());
        store.insert(List.of(created, assigned));
        Job.Change started = assigned.job().start(clock.instant(), null);
        Job.Change succeeded = started.job().succeed(clock.instant(), BigDecimal.ZERO);
        assertThat(store.update(assigned.job().version(), List.of(started, succeeded))).isTrue();
        return succeeded.job();
    }

    @Test
    void eventsOfAWriteOfSeveralChangesCanBeTakenAndAcknowledgedOneByOne() {
        InMemoryJobStore store = new InMemoryJobStore();
        Job a = runInTwoWrites(store);
        Job b = runInTwoWrites(store);
        List<String> seen = new java.util.ArrayList<>();

        // a limit that ends inside a write leaves the rest of its events first in line
        assertThat(store.drainOutbox(3, e -> seen.add(e.id()))).isEqualTo(3);
        assertThat(seen).containsExactly(eventId(a, 1), eventId(a, 2), eventId(a, 3));
        assertThat(store.outbox(2)).extracting(OutboxEntry::sequence).containsExactly(4L, 5L);
        assertThat(store.outbox(10)).extracting(e -> e.event().id())
                .containsExactly(eventId(a, 4), eventId(b, 1), eventId(b, 2), eventId(b, 3), eventId(b, 4));
        assertThat(store.outbox(10).get(0).event().job().job().state()).isEqualTo(JobState.SUCCEEDED);

        // acknowledging up to an event in the middle of a write keeps that write's later events
        store.acknowledge(5);
        assertThat(store.outboxSize()).isEqualTo(3);
        assertThat(store.outbox(10)).extracting(OutboxEntry::sequence).containsExactly(6L, 7L, 8L);
        assertThat(store.outbox(10)).extracting(e -> e.event().id())
                .containsExactly(eventId(b, 2), eventId(b, 3), eventId(b, 4));

        // a listener that throws: its event counts as taken, as a single event's would, and the next one follows
        assertThatThrownBy(() -> store.drainOutbox(10, e -> {
            throw new IllegalStateException("listener down");
        })).hasMessage("listener down");
        assertThat(store.outboxSize()).isEqualTo(2);
        assertThat(store.drainOutbox(10, e -> seen.add(e.id()))).isEqualTo(2);
        assertThat(seen).endsWith(eventId(b, 3), eventId(b, 4));
        assertThat(store.outboxSize()).isZero();
        assertThat(store.outbox(10)).isEmpty();
    }

    @Test
    void aWriteOfSeveralChangesQueuesWhatWasWrittenNotWhatTheCallerChangesLater() {
        InMemoryJobStore store = new InMemoryJobStore();
        Job.Change created = Job.create(JobId.of("job_m" + IDS.incrementAndGet()),
                JobSpec.builder().image("acme/app:1").build(), clock.instant());
        Job.Change assigned = created.job().assign(alpha, clock.instant(), List.of());
        List<Job.Change> changes = new java.util.ArrayList<>(List.of(created, assigned));
        store.insert(changes);
        changes.clear();

        assertThat(store.outbox(10)).extracting(e -> e.event().job().event().version()).containsExactly(1L, 2L);
    }

    @Test
    void activeJobsAreTheUnfinishedOnesAmongTheRetained() {
        InMemoryJobStore store = new InMemoryJobStore();
        Job done = runToSuccess(store, insertPending(store, "a"));
        Job pending = insertPending(store, "b");
        Job c = insertPending(store, "c");
        Job assigned = move(store, c, c.assign(alpha, clock.instant(), List.of()));

        assertThat(store.activeJobs()).extracting(Job::id).containsExactlyInAnyOrder(pending.id(), assigned.id())
                .doesNotContain(done.id());
        assertThat(store.describe()).contains("2 active");
    }

    @Test
    void finishedJobsBeyondTheRetainedCountAreDroppedOldestFirst() {
        InMemoryJobStore store = new InMemoryJobStore(3, Duration.ofDays(1), clock);
        List<Job> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(runToSuccess(store, insertPending(store, "a")));
        }
        Job pending = insertPending(store, "b");

        assertThat(store.get(jobs.get(0).id())).isEmpty();
        assertThat(store.get(jobs.get(1).id())).isEmpty();
        assertThat(store.get(jobs.get(4).id())).isPresent();
        assertThat(store.get(pending.id())).isPresent();
        assertThat(store.countByState()).containsEntry(JobState.SUCCEEDED, 3L).containsEntry(JobState.PENDING, 1L);
    }

    @Test
    void finishedJobsOlderThanTheRetentionAgeAreDropped() {
        InMemoryJobStore store = new InMemoryJobStore(1000, Duration.ofHours(1), clock);
        Job old = runToSuccess(store, insertPending(store, "a"));
        clock.advance(Duration.ofHours(2));

        Job fresh = runToSuccess(store, insertPending(store, "a"));

        assertThat(store.get(old.id())).isEmpty();
        assertThat(store.get(fresh.id())).isPresent();
    }

    @Test
    void aResubmittedFailedJobIsNotDroppedByRetention() {
        InMemoryJobStore store = new InMemoryJobStore(0, Duration.ofDays(1), clock);
        Job job = insertPending(store, "a");
        Job.Change failed = job.fail(ReasonCode.NO_PROVIDER, "none", clock.instant(), null, List.of());
        // with a retention of 0 the failed job is dropped at once
        assertThat(store.update(failed.job(), job.version(), failed.event())).isTrue();
        assertThat(store.get(job.id())).isEmpty();

        InMemoryJobStore keeping = new InMemoryJobStore(1, Duration.ofDays(1), clock);
        Job j = insertPending(keeping, "a");
        j = move(keeping, j, j.fail(ReasonCode.NO_PROVIDER, "none", clock.instant(), null, List.of()));
        j = move(keeping, j, j.resubmit(null, clock.instant()));
        runToSuccess(keeping, insertPending(keeping, "b"));
        runToSuccess(keeping, insertPending(keeping, "b"));

        assertThat(keeping.get(j.id())).get().extracting(Job::state).isEqualTo(JobState.PENDING);
        assertThat(keeping.activeJobs()).extracting(Job::id).containsExactly(j.id());
    }

    @Test
    void queryFiltersByStateProviderAndLabelNewestFirstWithPaging() {
        InMemoryJobStore store = new InMemoryJobStore();
        Job a1 = insertPending(store, "ml");
        Job a2 = insertPending(store, "ml");
        Job b1 = insertPending(store, "web");
        Job onAlpha = move(store, a2, a2.assign(alpha, clock.instant(), List.of()));

        assertThat(store.query(JobQuery.all()).items()).extracting(Job::id).containsExactly(b1.id(), a2.id(), a1.id());
        assertThat(store.query(JobQuery.inStates(JobState.PENDING)).items()).extracting(Job::id).containsExactly(b1.id(), a1.id());
        assertThat(store.query(JobQuery.all().onProvider(alpha)).items()).extracting(Job::id).containsExactly(onAlpha.id());
        assertThat(store.query(JobQuery.all().withLabel("team", "ml")).items()).extracting(Job::id).containsExactly(a2.id(), a1.id());
        Page<Job> page = store.query(JobQuery.all().page(1, 1));
        assertThat(page.items()).extracting(Job::id).containsExactly(a2.id());
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void queryRejectsAnOutOfRangePage() {
        assertThatThrownBy(() -> JobQuery.all().page(0, 0)).hasMessageContaining("limit must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> JobQuery.all().page(-1, 10)).hasMessageContaining("offset must not be negative, got -1");
    }
}
