package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.CANCELLED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.provider.inmemory.EngineFixture.id;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobState;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Submitting on a store whose every call is a round trip (a database): the engine writes what it knows
 * instead of reading the job back, and still gets every move right when another engine on the same
 * database moves the job in between.
 */
class DurableStoreSubmitTest {
    private final EngineFixture fx = EngineFixture.withProviders("a");
    private final InterleavingJobStore store = new InterleavingJobStore(fx.clock);

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void jobFinishedInsideItsProvidersSubmitIsNeverReadBack() {
        fx.engine(b -> b.store(store));

        Job job = fx.aJob();

        assertThat(job).isIn(SUCCEEDED).hasAttempts(1);
        assertThat(job.attempts().get(0).ref()).isNotNull();
        assertThat(store.reads(job.id())).as("reads of the job during submit").isZero();
        assertThat(fx.history(job)).extracting(JobEvent::to).containsExactly(PENDING, ASSIGNED, RUNNING, SUCCEEDED);
        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasVersion(job.version());
        assertThat(fx.cortex().provider(id("a")).jobsInFlight()).isZero();
    }

    @Test
    void jobAcceptedButNotYetStartedIsReturnedWithItsHandleWithoutAReadBack() {
        fx.engine(b -> b.store(store));
        fx.a().startAfter(Duration.ofMinutes(10));

        Job job = fx.aJob();

        assertThat(job).isIn(ASSIGNED);
        assertThat(job.attempts().get(0).ref()).as("the provider's handle").isNotNull();
        assertThat(store.reads(job.id())).isZero();
        assertThat(fx.reload(job)).isIn(ASSIGNED).hasVersion(job.version());
    }

    @Test
    void jobCancelledByAnotherEngineWhileItsProviderRunsItStaysCancelledAndIsReturnedSo() {
        fx.engine(b -> b.store(store));
        AtomicReference<Job> cancelledElsewhere = new AtomicReference<>();
        // the provider's SUCCEEDED report arrives after another engine cancelled the job in the database: the
        // engine's write, made from the job as it placed it, must lose, and nothing of it may overwrite the cancel
        store.beforeUpdate(next -> next.state() == RUNNING, () -> {
            Job stored = store.activeJobs().get(0);
            var cancel = stored.cancel("cancelled on another engine", fx.clock.instant());
            assertThat(store.write(cancel)).isTrue();
            cancelledElsewhere.set(cancel.job());
        });

        Job job = fx.aJob();

        assertThat(cancelledElsewhere.get()).as("the other engine's cancel ran").isNotNull();
        assertThat(job).as("submit's answer").isIn(CANCELLED);
        assertThat(fx.reload(job)).isIn(CANCELLED).hasVersion(cancelledElsewhere.get().version());
        assertThat(fx.history(job)).extracting(JobEvent::to).containsExactly(PENDING, ASSIGNED, CANCELLED);
        assertThat(fx.history(job)).extracting(JobEvent::to).doesNotContain(JobState.SUCCEEDED);
    }
}
