package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.CANCELLED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.store.StoreException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An engine running its own threads on a store whose writes wait for a commit: a job that finishes
 * inside its provider's submit has its outcome written without {@code submit} waiting for it, and the
 * outcome still ends right when that write is refused (another engine moved the job) or fails. The
 * store here holds such writes until the test lets them commit, as a database's next commit would.
 */
class OutcomeWrittenLaterTest {
    private final ManualClock clock = new ManualClock();
    private final InterleavingJobStore store = new InterleavingJobStore(clock);
    private final InMemoryProvider provider = InMemoryProvider.builder("a").clock(clock).build();
    private final List<CortexEvent> events = new CopyOnWriteArrayList<>();
    private final Cortex cortex = Cortex.builder().clock(clock).store(store).provider(provider).listener(events::add).build();
    private final JobSpec spec = JobSpec.builder().image("acme/app:1").build();

    @AfterEach
    void close() {
        cortex.close();
    }

    private List<JobState> history(Job job) {
        return store.events(job.id()).stream().map(JobEvent::to).toList();
    }

    /** The versions of the job's events the listener got, in the order it got them. */
    private List<Long> delivered(Job job) {
        return events.stream().filter(e -> e.job() != null && e.job().job().id().equals(job.id()))
                .map(e -> e.job().event().version()).toList();
    }

    private int inFlight() {
        return cortex.provider(ProviderId.of("a")).jobsInFlight();
    }

    @Test
    void submitReturnsTheJobPlacedWhileTheOutcomeItsProviderReportedCommits() {
        store.holdWritesLater();

        Job job = cortex.submit(spec);

        assertThat(job).as("submit's answer: stored and placed, not waiting for the outcome's commit").isIn(ASSIGNED);
        assertThat(store.held()).as("the outcome waits for its commit").isEqualTo(1);
        assertThat(store.get(job.id())).get().extracting(Job::state).isEqualTo(ASSIGNED);
        assertThat(inFlight()).isEqualTo(1);

        store.commitHeld();

        Job done = store.get(job.id()).orElseThrow();
        assertThat(done).isIn(SUCCEEDED).hasAttempts(1);
        assertThat(done.attempts().get(0).ref()).as("the provider's handle, recorded by the outcome's write").isNotNull();
        assertThat(history(job)).containsExactly(PENDING, ASSIGNED, RUNNING, SUCCEEDED);
        assertThat(inFlight()).isZero();
        assertThat(cortex.metrics().succeeded()).isEqualTo(1);
        await().atMost(10, TimeUnit.SECONDS).until(() -> delivered(job).size() == 4);
        assertThat(delivered(job)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void anOutcomeRefusedBecauseAnotherEngineCancelledTheJobMeanwhileLeavesItCancelled() {
        store.holdWritesLater();
        Job job = cortex.submit(spec);
        Job stored = store.get(job.id()).orElseThrow();
        assertThat(store.write(stored.cancel("cancelled on another engine", clock.instant()))).isTrue();

        store.commitHeld(); // refused: the job moved since it was placed

        await().atMost(10, TimeUnit.SECONDS).until(() -> !cortex.operatorLog()
                .query(null, null, job.id().value(), null, null, 100).stream()
                .filter(r -> r.message().contains("after the engine moved on")).toList().isEmpty());
        assertThat(store.get(job.id()).orElseThrow()).isIn(CANCELLED);
        assertThat(history(job)).containsExactly(PENDING, ASSIGNED, CANCELLED);
        assertThat(cortex.metrics().succeeded()).isZero();
    }

    @Test
    void anOutcomeWhoseWriteFailsIsAppliedAgainFromTheStoredJob() {
        store.holdWritesLater();
        Job job = cortex.submit(spec);

        store.failHeld(new StoreException("the connection was reset", null));

        await().atMost(10, TimeUnit.SECONDS).until(() -> store.get(job.id()).orElseThrow().state() == SUCCEEDED);
        Job done = store.get(job.id()).orElseThrow();
        assertThat(done.attempts().get(0).ref()).isNotNull();
        assertThat(history(job)).containsExactly(PENDING, ASSIGNED, RUNNING, SUCCEEDED);
        await().atMost(10, TimeUnit.SECONDS).until(() -> inFlight() == 0);
        assertThat(store.held()).as("applied again at once, not queued once more").isZero();
    }

    @Test
    void closingTheEngineWaitsForTheOutcomesBeingWritten() throws Exception {
        store.holdWritesLater();
        Job job = cortex.submit(spec);
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            Future<?> closing = closer.submit(cortex::close);
            await().during(200, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> !closing.isDone());

            store.commitHeld();

            closing.get(30, TimeUnit.SECONDS);
        } finally {
            closer.shutdownNow();
        }
        assertThat(store.get(job.id()).orElseThrow()).isIn(SUCCEEDED);
        assertThat(delivered(job)).as("its events delivered before the engine stopped")
                .containsExactly(1L, 2L, 3L, 4L);
    }
}
