package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.CANCELLED;
import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.JOB_FAILED;
import static io.cortex.core.job.ReasonCode.MAX_RUN_TIME_EXCEEDED;
import static io.cortex.core.job.ReasonCode.PROVIDER_LOST_JOB;
import static io.cortex.core.job.ReasonCode.RESOURCES_UPDATED;
import static io.cortex.core.job.ReasonCode.STUCK_PENDING;
import static io.cortex.core.job.ReasonCode.USER_REQUEST;
import static io.cortex.provider.inmemory.EngineFixture.id;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.cortex.core.NotFoundException;
import io.cortex.core.job.IllegalJobTransitionException;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import io.cortex.core.job.Resources;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JobOperationsTest {
    private EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private JobEvent lastEvent(Job job) {
        List<JobEvent> h = fx.history(job);
        return h.get(h.size() - 1);
    }

    @Nested
    class Cancel {
        @Test
        void pendingJobIsCancelledWithoutCallingAnyProvider() {
            fx = EngineFixture.withProviders("a");
            fx.a().goOffline();
            Job job = fx.aJob();
            assertThat(job).isIn(PENDING);

            Job cancelled = fx.cortex().cancel(job.id());

            assertThat(cancelled).isIn(CANCELLED).hasReason(USER_REQUEST).hasAttempts(0);
            assertThat(lastEvent(job).from()).isEqualTo(PENDING);
            assertThat(fx.a().cancellations()).isZero();
            assertThat(fx.cortex().metrics().cancelled()).isEqualTo(1);
            assertThat(fx.log("scheduler", null, job.id())).extracting(OperatorLogRecord::reason).contains(USER_REQUEST.name());
        }

        @Test
        void assignedJobIsCancelledAlsoOnItsProvider() {
            fx.a().startAfter(Duration.ofMinutes(10));
            Job job = fx.aJob();
            assertThat(job).isIn(ASSIGNED).isOn("a");

            assertThat(fx.cortex().cancel(job.id())).isIn(CANCELLED).endedAttemptWith(1, USER_REQUEST);

            assertThat(fx.a().cancellations()).isEqualTo(1);
            assertThat(fx.a().activeJobs()).isZero();
            assertThat(fx.cortex().provider(id("a")).jobsInFlight()).isZero();
            fx.advance(Duration.ofMinutes(15), Duration.ofMinutes(1));
            assertThat(fx.reload(job)).isIn(CANCELLED);
        }

        @Test
        void runningJobIsCancelledAlsoOnItsProvider() {
            fx.a().defaultOutcome(Outcome.hangRunning());
            Job job = fx.aJob();
            assertThat(job).isIn(RUNNING);

            assertThat(fx.cortex().cancel(job.id())).isIn(CANCELLED);

            assertThat(lastEvent(job).from()).isEqualTo(RUNNING);
            assertThat(fx.a().cancellations()).isEqualTo(1);
            assertThat(fx.a().activeJobs()).isZero();
            assertThat(fx.cortex().logs(job.id(), -1, 10)).extracting(l -> l.text()).contains("cancelled");
        }

        @Test
        void cancellingTwiceReturnsTheJobUnchanged() {
            fx.a().defaultOutcome(Outcome.hangRunning());
            Job job = fx.aJob();
            Job once = fx.cortex().cancel(job.id());

            Job twice = fx.cortex().cancel(job.id());

            assertThat(twice).isIn(CANCELLED).hasVersion(once.version());
            assertThat(fx.history(job)).hasSize((int) once.version());
            assertThat(fx.a().cancellations()).isEqualTo(1);
            assertThat(fx.cortex().metrics().cancelled()).isEqualTo(1);
        }

        @Test
        void cancellingAFinishedJobIsRefused() {
            Job done = fx.aJob();
            fx.b().defaultOutcome(Outcome.exit(1, "no"));
            fx.a().defaultOutcome(Outcome.exit(1, "no"));
            Job failed = fx.aJob();
            assertThat(failed).isIn(FAILED);

            assertThatThrownBy(() -> fx.cortex().cancel(done.id()))
                    .isInstanceOfSatisfying(IllegalJobTransitionException.class, e -> {
                        assertThat(e.from()).isEqualTo(SUCCEEDED);
                        assertThat(e.to()).isEqualTo(CANCELLED);
                    })
                    .hasMessageContaining("final state");
            assertThatThrownBy(() -> fx.cortex().cancel(failed.id())).isInstanceOf(IllegalJobTransitionException.class);
            assertThat(fx.reload(done)).hasVersion(done.version());
        }

        @Test
        void jobPlacedWhileCancelIsUnderWayIsAlsoCancelledOnItsProvider() {
            // regression: cancel judged the attempt to close on a read taken before its compare-and-set, so a
            // job placed in between was cancelled in the store but left running (and counted) on its provider
            fx = EngineFixture.withProviders("a");
            InterleavingJobStore store = new InterleavingJobStore(fx.clock);
            fx.engine(b -> b.store(store).healthThreshold(1));
            fx.a().startAfter(Duration.ofMinutes(10)).goOffline();
            Job job = fx.aJob();
            assertThat(job).isIn(PENDING);
            fx.a().goOnline();

            // "another thread" brings a back (and so places the job) between cancel's two reads
            store.beforeRead(job.id(), 1, () -> fx.cortex().checkProvider(id("a")));
            Job cancelled = fx.cortex().cancel(job.id());

            assertThat(cancelled).isIn(CANCELLED).hasAttempts(1).endedAttemptWith(1, USER_REQUEST);
            assertThat(lastEvent(job).from()).isEqualTo(ASSIGNED);
            assertThat(fx.a().cancellations()).isEqualTo(1);
            assertThat(fx.a().activeJobs()).isZero();
            assertThat(fx.cortex().provider(id("a")).jobsInFlight()).isZero();
        }

        @Test
        void jobFailedOverWhileCancelIsUnderWayIsNotCancelledTwiceOnItsOldProvider() {
            // regression: the same stale read made cancel close an attempt that had already ended, counting it off twice
            fx = EngineFixture.withProviders("a");
            InterleavingJobStore store = new InterleavingJobStore(fx.clock);
            fx.engine(b -> b.store(store).healthThreshold(1));
            fx.a().defaultOutcome(Outcome.hang());
            Job job = fx.aJob();
            assertThat(job).isIn(ASSIGNED);

            // "another thread" sees a go offline (the job goes back to PENDING) between cancel's two reads
            store.beforeRead(job.id(), 1, () -> {
                fx.a().goOffline();
                fx.advance(Duration.ofSeconds(30));
            });
            Job cancelled = fx.cortex().cancel(job.id());

            assertThat(cancelled).isIn(CANCELLED).hasAttempts(1).endedAttemptWith(1, io.cortex.core.job.ReasonCode.PROVIDER_OFFLINE);
            assertThat(lastEvent(job).from()).isEqualTo(PENDING);
            assertThat(fx.cortex().provider(id("a")).jobsInFlight()).isZero();
            assertThat(fx.log("scheduler", "a", job.id())).extracting(OperatorLogRecord::message)
                    .noneMatch(m -> m.contains("cancel on the provider failed"));
        }

        @Test
        void cancellingAnUnknownJobIsNotFound() {
            assertThatThrownBy(() -> fx.cortex().cancel(JobId.of("job_nope"))).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("job_nope");
        }
    }

    @Nested
    class Resubmit {
        @Test
        void failedJobGetsAFreshRetryBudget() {
            // Given a job that used its only attempt
            fx.a().defaultOutcome(Outcome.exit(4, "flaky"));
            Job job = fx.submit(EngineFixture.spec().maxAttempts(1));
            assertThat(job).isIn(FAILED).hasReason(JOB_FAILED).hasAttemptsUsed(1);

            // When the cause is fixed and the job resubmitted
            fx.a().defaultOutcome(Outcome.succeed());
            Job after = fx.cortex().resubmit(job.id(), null);

            // Then it runs again with a fresh budget, on any provider (a included)
            assertThat(after).isIn(SUCCEEDED).hasAttempts(2).hasAttemptsUsed(1).ranAttemptOn(2, "a");
            assertThat(fx.history(job)).extracting(JobEvent::from, JobEvent::to, JobEvent::reason)
                    .contains(tuple(FAILED, PENDING, USER_REQUEST));
        }

        @Test
        void resubmitToANamedProviderIsHonouredForTheNextPlacementOnly() {
            // Given a failed job, and b hangs
            fx.a().defaultOutcome(Outcome.exit(4, "flaky"));
            fx.b().defaultOutcome(Outcome.hang());
            Job job = fx.aJob();
            assertThat(job).isIn(FAILED).ranAttemptOn(1, "a");
            fx.a().defaultOutcome(Outcome.succeed());

            // When it is resubmitted to b
            Job pinned = fx.cortex().resubmit(job.id(), id("b"));

            // Then it goes to b, and the pin is spent
            assertThat(pinned).isIn(ASSIGNED).isOn("b");
            assertThat(pinned.pinnedProvider()).isEmpty();
            assertThat(fx.log("scheduler", "b", job.id())).extracting(OperatorLogRecord::message).contains("job resubmitted to b");

            // and when b gets stuck, the next placement may use any provider
            fx.advance(Duration.ofMinutes(5));
            assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(3).endedAttemptWith(2, STUCK_PENDING).ranAttemptOn(3, "a");
        }

        @Test
        void resubmittingAnAssignedJobCancelsItThereAndPlacesItAgain() {
            fx.a().startAfter(Duration.ofMinutes(10));
            Job job = fx.aJob();

            Job after = fx.cortex().resubmit(job.id(), id("b"));

            assertThat(after).isIn(SUCCEEDED).hasAttempts(2).endedAttemptWith(1, USER_REQUEST).ranAttemptOn(2, "b");
            assertThat(fx.a().cancellations()).isEqualTo(1);
            assertThat(fx.cortex().provider(id("a")).jobsInFlight()).isZero();
        }

        @Test
        void resubmittingARunningJobIsRefused() {
            fx.a().defaultOutcome(Outcome.hangRunning());
            Job job = fx.aJob();

            assertThatThrownBy(() -> fx.cortex().resubmit(job.id(), null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RUNNING").hasMessageContaining("cancel it first");
            assertThat(fx.reload(job)).isIn(RUNNING).hasVersion(job.version());
        }

        @Test
        void resubmittingASucceededJobIsRefused() {
            Job job = fx.aJob();
            assertThatThrownBy(() -> fx.cortex().resubmit(job.id(), null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("SUCCEEDED");
        }

        @Test
        void resubmittingToAnUnknownProviderIsNotFound() {
            fx.a().defaultOutcome(Outcome.exit(4, "flaky"));
            fx.b().defaultOutcome(Outcome.exit(4, "flaky"));
            Job job = fx.aJob();

            assertThatThrownBy(() -> fx.cortex().resubmit(job.id(), id("nope"))).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("provider 'nope'");
            assertThat(fx.reload(job)).isIn(FAILED).hasVersion(job.version());
        }
    }

    @Nested
    class UpdateResources {
        @Test
        void pendingJobWithNewResourcesIsPlacedAgain() {
            // Given a job too big for a, waiting for b which is offline
            fx = new EngineFixture().provider("a", p -> p.capabilities(ProviderCapabilities.of(2000, "4Gi", "100Gi")));
            fx.b().goOffline();
            Job job = fx.submit(EngineFixture.spec().resources(8000, "8Gi", "10Gi"));
            assertThat(job).isIn(PENDING);

            // When its request is lowered to what a offers
            Job after = fx.cortex().updateResources(job.id(), Resources.of(1000, "1Gi", "10Gi"));

            // Then it runs on a at once
            assertThat(after).isIn(SUCCEEDED).ranAttemptOn(1, "a");
            assertThat(after.spec().resources()).isEqualTo(Resources.of(1000, "1Gi", "10Gi"));
            JobEvent updated = fx.history(job).stream().filter(e -> e.reason() == RESOURCES_UPDATED).findFirst().orElseThrow();
            assertThat(updated.type()).isEqualTo(JobEvent.Type.RESOURCES_UPDATED);
            assertThat(updated.message()).contains("cpu=1000m").contains("were cpu=8000m");
        }

        @Test
        void runningJobResourcesCannotBeChanged() {
            fx.a().defaultOutcome(Outcome.hangRunning());
            Job job = fx.aJob();

            assertThatThrownBy(() -> fx.cortex().updateResources(job.id(), Resources.of(1000, "1Gi", "10Gi")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is RUNNING").hasMessageContaining("PENDING");
            assertThat(fx.reload(job)).hasVersion(job.version());
        }
    }

    @Test
    void jobRunningLongerThanItsMaxRunTimeFailsAndIsCancelledOnItsProvider() {
        fx.a().defaultOutcome(Outcome.hangRunning());
        Job job = fx.submit(EngineFixture.spec().maxRunTime(Duration.ofMinutes(10)));
        assertThat(job).isIn(RUNNING);

        fx.advance(Duration.ofMinutes(9).plusSeconds(59), Duration.ofSeconds(30));
        assertThat(fx.reload(job)).isIn(RUNNING);

        fx.advance(Duration.ofSeconds(1));
        assertThat(fx.reload(job)).isIn(FAILED).hasReason(MAX_RUN_TIME_EXCEEDED).hasAttempts(1)
                .hasMessageContaining("max run time of PT10M");
        assertThat(fx.a().cancellations()).isEqualTo(1);
        assertThat(fx.a().activeJobs()).isZero();
        assertThat(fx.b().submissions()).isZero();
    }

    @Test
    void jobLostByItsProviderWhileRunningRerunsElsewhere() {
        fx.a().defaultOutcome(Outcome.lose("node evicted")).runFor(Duration.ofMinutes(1));
        Job job = fx.aJob();
        fx.tick();
        assertThat(fx.reload(job)).isIn(RUNNING).isOn("a");

        fx.advance(Duration.ofMinutes(1));

        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(2).endedAttemptWith(1, PROVIDER_LOST_JOB).ranAttemptOn(2, "b");
        assertThat(fx.history(job)).extracting(JobEvent::from, JobEvent::to, JobEvent::reason)
                .contains(tuple(RUNNING, PENDING, PROVIDER_LOST_JOB));
        assertThat(fx.cortex().metrics().failovers()).containsEntry(PROVIDER_LOST_JOB, 1L);
    }

    @Test
    void jobLostByItsProviderFailsWhenItMayNotRerun() {
        fx.a().defaultOutcome(Outcome.lose("node evicted")).runFor(Duration.ofMinutes(1));
        Job job = fx.submit(EngineFixture.spec().rerunOnProviderLoss(false));
        fx.tick();

        fx.advance(Duration.ofMinutes(1));

        assertThat(fx.reload(job)).isIn(FAILED).hasReason(PROVIDER_LOST_JOB).hasAttempts(1).hasMessageContaining("node evicted");
        assertThat(fx.b().submissions()).isZero();
    }

    @Test
    void jobsAreQueriedByStateProviderAndLabelWithPaging() {
        // Given four ml jobs (three succeed, one is too big) and two ops jobs that hang on a and b
        fx.a().onLabel("mode", "slow", Outcome.hang());
        fx.b().onLabel("mode", "slow", Outcome.hang());
        List<Job> ml = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ml.add(fx.submit(EngineFixture.spec().label("team", "ml")));
            fx.clock.advance(Duration.ofSeconds(1));
        }
        Job tooBig = fx.submit(EngineFixture.spec().label("team", "ml").resources(64_000, "1Gi", "1Gi"));
        fx.clock.advance(Duration.ofSeconds(1));
        Job opsA = fx.submit(EngineFixture.spec().label("team", "ops").label("mode", "slow"));
        fx.clock.advance(Duration.ofSeconds(1));
        Job opsB = fx.submit(EngineFixture.spec().label("team", "ops").label("mode", "slow"));
        assertThat(opsA).isOn("a");
        assertThat(opsB).isOn("b");

        // Then
        assertThat(fx.cortex().jobs(JobQuery.inStates(SUCCEEDED)).items()).extracting(Job::id)
                .containsExactly(ml.get(2).id(), ml.get(1).id(), ml.get(0).id());
        assertThat(fx.cortex().jobs(JobQuery.inStates(ASSIGNED).onProvider(id("a"))).items()).extracting(Job::id)
                .containsExactly(opsA.id());
        assertThat(fx.cortex().jobs(JobQuery.all().withLabel("team", "ops").withLabel("mode", "slow")).total()).isEqualTo(2);
        assertThat(fx.cortex().jobs(JobQuery.inStates(FAILED, SUCCEEDED).withLabel("team", "ops")).total()).isZero();

        Page<Job> first = fx.cortex().jobs(JobQuery.all().withLabel("team", "ml").page(0, 3));
        Page<Job> second = fx.cortex().jobs(JobQuery.all().withLabel("team", "ml").page(3, 3));
        assertThat(first.total()).isEqualTo(4);
        assertThat(first.hasMore()).isTrue();
        assertThat(first.items()).extracting(Job::id).containsExactly(tooBig.id(), ml.get(2).id(), ml.get(1).id());
        assertThat(second.items()).extracting(Job::id).containsExactly(ml.get(0).id());
        assertThat(second.hasMore()).isFalse();
        assertThat(fx.cortex().jobs(JobQuery.all().page(0, 1000)).items()).extracting(Job::state).filteredOn(s -> s == JobState.FAILED)
                .hasSize(1);
    }
}
