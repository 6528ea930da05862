package io.cortex.core.job;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.CANCELLED;
import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.Jobs.ALPHA;
import static io.cortex.core.job.Jobs.BETA;
import static io.cortex.core.job.Jobs.JOB_ID;
import static io.cortex.core.job.Jobs.REF;
import static io.cortex.core.job.Jobs.T0;
import static io.cortex.core.job.Jobs.aJobIn;
import static io.cortex.core.job.Jobs.aPendingJob;
import static io.cortex.core.job.Jobs.aRunningJob;
import static io.cortex.core.job.Jobs.aSpec;
import static io.cortex.core.job.Jobs.aSpecWithAttempts;
import static io.cortex.core.job.Jobs.anAssignedJob;
import static io.cortex.core.job.Jobs.assignedThenRequeued;
import static io.cortex.core.job.Jobs.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.provider.ProviderJobRef;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobTest {

    // ---- creation ----------------------------------------------------------------------------

    @Test
    void createMakesAPendingJobAtVersionOneWithASubmittedEvent() {
        Job.Change created = Job.create(JOB_ID, aSpec(), T0);

        JobAssert.assertThat(created.job()).isIn(PENDING).hasVersion(1).hasAttempts(0).hasAttemptsUsed(0).hasAttemptsLeft(3);
        assertThat(created.job().createdAt()).isEqualTo(T0);
        assertThat(created.job().updatedAt()).isEqualTo(T0);
        assertThat(created.job().lastReason()).isEqualTo(ReasonCode.SUBMITTED);
        JobEvent event = created.event();
        assertThat(event.type()).isEqualTo(JobEvent.Type.SUBMITTED);
        assertThat(event.jobId()).isEqualTo(JOB_ID);
        assertThat(event.version()).isEqualTo(1);
        assertThat(event.from()).isNull();
        assertThat(event.to()).isEqualTo(PENDING);
        assertThat(event.reason()).isEqualTo(ReasonCode.SUBMITTED);
        assertThat(event.message()).contains("ghcr.io/acme/train:1.2");
        assertThat(event.providerId()).isEmpty();
        assertThat(event.attempt()).isZero();
        assertThat(event.isTransition()).isFalse();
    }

    @Test
    void createRejectsNullsNamingTheArgument() {
        assertThatNullPointerException().isThrownBy(() -> Job.create(null, aSpec(), T0)).withMessage("jobId cannot be null");
        assertThatNullPointerException().isThrownBy(() -> Job.create(JOB_ID, null, T0)).withMessage("spec cannot be null");
        assertThatNullPointerException().isThrownBy(() -> Job.create(JOB_ID, aSpec(), null)).withMessage("now cannot be null");
    }

    // ---- versions ----------------------------------------------------------------------------

    @Test
    void everyChangeIncreasesTheVersionByExactlyOneAndItsEventCarriesThatVersion() {
        List<UnaryOperator<Job>> path = List.of(
                j -> j.assign(ALPHA, at(1), List.of()).job(),
                j -> j.accepted(REF, at(2)).job(),
                j -> j.start(at(3), null).job(),
                j -> j.requeue(ReasonCode.PROVIDER_LOST_JOB, "lost", at(4), null, null).job(),
                j -> j.waiting(ReasonCode.NO_CAPACITY, "no room", at(5), List.of()).job(),
                j -> j.withResources(Resources.of(2000, "2Gi", "10Gi"), at(6)).job(),
                j -> j.assign(BETA, at(7), List.of()).job(),
                j -> j.fail(ReasonCode.PROVIDER_REJECTED, "no", at(8), null, List.of()).job(),
                j -> j.resubmit(null, at(9)).job(),
                j -> j.repin(ALPHA, at(10)).job(),
                j -> j.cancel("bye", at(11)).job());
        Job job = aPendingJob();
        List<Long> versions = new ArrayList<>(List.of(job.version()));

        for (UnaryOperator<Job> step : path) {
            job = step.apply(job);
            versions.add(job.version());
        }

        assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        JobAssert.assertThat(job).isIn(CANCELLED).hasVersion(12);
    }

    @Test
    void eachVerbsEventNamesTheJobAndTheNewVersion() {
        Job pending = aPendingJob();
        List<Job.Change> changes = List.of(
                pending.assign(ALPHA, at(1), List.of()),
                anAssignedJob().start(at(2), REF),
                aRunningJob().succeed(at(3), null),
                aRunningJob().fail(ReasonCode.JOB_FAILED, "exit 1", at(3), null, List.of()),
                aRunningJob().requeue(ReasonCode.PROVIDER_LOST_JOB, "lost", at(3), null, null),
                aRunningJob().cancel("bye", at(3)),
                aJobIn(FAILED).resubmit(null, at(4)),
                pending.withResources(Resources.DEFAULT, at(1)));

        for (Job.Change c : changes) {
            assertThat(c.event().jobId()).isEqualTo(JOB_ID);
            assertThat(c.event().version()).as("event version of %s", c.event()).isEqualTo(c.job().version());
            assertThat(c.job().updatedAt()).isEqualTo(c.event().timestamp());
        }
    }

    // ---- events ------------------------------------------------------------------------------

    @Test
    void assignStartsAnAttemptAndItsEventCarriesProviderAttemptAndPlacementNotes() {
        List<PlacementNote> notes = List.of(new PlacementNote(ALPHA, ReasonCode.PLACED, "cheapest"),
                new PlacementNote(BETA, ReasonCode.RESOURCES_EXCEED_CAPABILITIES, "memory 1Gi exceeds maxMemory 512Mi"));

        Job.Change c = aPendingJob().assign(ALPHA, at(1), notes);

        assertThat(c.event()).extracting(JobEvent::type, JobEvent::from, JobEvent::to, JobEvent::reason, JobEvent::provider,
                JobEvent::attempt, JobEvent::timestamp)
                .containsExactly(JobEvent.Type.STATE_CHANGED, PENDING, ASSIGNED, ReasonCode.PLACED, ALPHA, 1, at(1));
        assertThat(c.event().placement()).containsExactlyElementsOf(notes);
        assertThat(c.job().provider()).contains(ALPHA);
        assertThat(c.job().openAttempt()).hasValueSatisfying(a -> {
            assertThat(a.number()).isEqualTo(1);
            assertThat(a.provider()).isEqualTo(ALPHA);
            assertThat(a.assignedAt()).isEqualTo(at(1));
            assertThat(a.ref()).isNull();
        });
    }

    @Test
    void assignRejectsANullProvider() {
        assertThatNullPointerException().isThrownBy(() -> aPendingJob().assign(null, at(1), List.of()))
                .withMessage("provider cannot be null");
    }

    @Test
    void startRecordsTheProviderRefWhenTheAttemptHasNoneYet() {
        Job.Change c = anAssignedJob().start(at(2), REF);

        assertThat(c.event()).extracting(JobEvent::from, JobEvent::to, JobEvent::reason, JobEvent::provider, JobEvent::attempt)
                .containsExactly(ASSIGNED, RUNNING, ReasonCode.STARTED, ALPHA, 1);
        Attempt attempt = c.job().openAttempt().orElseThrow();
        assertThat(attempt.providerRef()).contains(REF);
        assertThat(attempt.startedAt()).isEqualTo(at(2));
    }

    @Test
    void startKeepsTheRefTheProviderAcceptedWith() {
        Job accepted = anAssignedJob().accepted(REF, at(2)).job();

        Job running = accepted.start(at(3), ProviderJobRef.of("other")).job();

        assertThat(running.openAttempt().orElseThrow().ref()).isEqualTo(REF);
    }

    @Test
    void acceptedRecordsTheRefWithoutChangingState() {
        Job.Change c = anAssignedJob().accepted(REF, at(2));

        JobAssert.assertThat(c.job()).isIn(ASSIGNED);
        assertThat(c.event()).extracting(JobEvent::type, JobEvent::from, JobEvent::to, JobEvent::provider, JobEvent::attempt)
                .containsExactly(JobEvent.Type.PROVIDER_ACCEPTED, ASSIGNED, ASSIGNED, ALPHA, 1);
        assertThat(c.event().isTransition()).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> aPendingJob().accepted(REF, at(2)))
                .withMessageContaining(JOB_ID.value()).withMessageContaining("no open attempt");
    }

    @Test
    void succeedClosesTheAttemptAsCompletedWithItsCost() {
        Job.Change c = aRunningJob().succeed(at(5), new BigDecimal("1.25"));

        assertThat(c.event()).extracting(JobEvent::from, JobEvent::to, JobEvent::reason, JobEvent::provider, JobEvent::attempt)
                .containsExactly(RUNNING, SUCCEEDED, ReasonCode.COMPLETED, ALPHA, 1);
        Attempt last = c.job().lastAttempt().orElseThrow();
        assertThat(last.isOpen()).isFalse();
        assertThat(last.endedAt()).isEqualTo(at(5));
        assertThat(last.outcome()).isEqualTo(ReasonCode.COMPLETED);
        assertThat(last.cost()).isEqualByComparingTo("1.25");
        assertThat(c.job().provider()).isEmpty();
    }

    @Test
    void failWhileRunningCarriesReasonMessageProviderAndAttempt() {
        List<PlacementNote> notes = List.of(new PlacementNote(BETA, ReasonCode.EXCLUDED_BY_CONSTRAINTS, "denied"));

        Job.Change c = aRunningJob().fail(ReasonCode.JOB_FAILED, "exit code 137", at(5), null, notes);

        assertThat(c.event()).extracting(JobEvent::from, JobEvent::to, JobEvent::reason, JobEvent::message,
                JobEvent::provider, JobEvent::attempt)
                .containsExactly(RUNNING, FAILED, ReasonCode.JOB_FAILED, "exit code 137", ALPHA, 1);
        assertThat(c.event().placement()).containsExactlyElementsOf(notes);
        assertThat(c.job().lastReason()).isEqualTo(ReasonCode.JOB_FAILED);
        assertThat(c.job().lastMessage()).isEqualTo("exit code 137");
        assertThat(c.job().lastAttempt().orElseThrow().outcome()).isEqualTo(ReasonCode.JOB_FAILED);
    }

    @Test
    void failWhilePendingNamesNoProviderAndNoAttempt() {
        Job.Change c = aPendingJob().fail(ReasonCode.RESOURCES_EXCEED_CAPABILITIES, "too big for everyone", at(1), null, List.of());

        assertThat(c.event()).extracting(JobEvent::from, JobEvent::to, JobEvent::reason, JobEvent::provider, JobEvent::attempt)
                .containsExactly(PENDING, FAILED, ReasonCode.RESOURCES_EXCEED_CAPABILITIES, null, 0);
        JobAssert.assertThat(c.job()).isIn(FAILED).hasAttempts(0);
    }

    @Test
    void failRejectsANullReason() {
        assertThatNullPointerException().isThrownBy(() -> aRunningJob().fail(null, "x", at(5), null, List.of()))
                .withMessage("reason cannot be null");
    }

    @Test
    void requeueEndsTheAttemptAndPinsTheNextPlacementWhenAsked() {
        Job.Change c = aRunningJob().requeue(ReasonCode.PROVIDER_LOST_JOB, "node died", at(5), new BigDecimal("0.10"), BETA);

        assertThat(c.event()).extracting(JobEvent::from, JobEvent::to, JobEvent::reason, JobEvent::message,
                JobEvent::provider, JobEvent::attempt)
                .containsExactly(RUNNING, PENDING, ReasonCode.PROVIDER_LOST_JOB, "node died", ALPHA, 1);
        JobAssert.assertThat(c.job()).isIn(PENDING).hasAttempts(1);
        assertThat(c.job().openAttempt()).isEmpty();
        assertThat(c.job().lastAttempt().orElseThrow().outcome()).isEqualTo(ReasonCode.PROVIDER_LOST_JOB);
        assertThat(c.job().pinnedProvider()).contains(BETA);
    }

    @Test
    void assignUsesUpThePin() {
        Job pinned = aRunningJob().requeue(ReasonCode.PROVIDER_LOST_JOB, "lost", at(5), null, BETA).job();

        Job assigned = pinned.assign(BETA, at(6), List.of()).job();

        assertThat(assigned.pinnedProvider()).isEmpty();
    }

    @Test
    void cancelWhileRunningClosesTheAttemptWithUserRequest() {
        Job.Change c = aRunningJob().cancel("operator said so", at(5));

        assertThat(c.event()).extracting(JobEvent::from, JobEvent::to, JobEvent::reason, JobEvent::message,
                JobEvent::provider, JobEvent::attempt)
                .containsExactly(RUNNING, CANCELLED, ReasonCode.USER_REQUEST, "operator said so", ALPHA, 1);
        assertThat(c.job().lastAttempt().orElseThrow().outcome()).isEqualTo(ReasonCode.USER_REQUEST);
        assertThat(c.job().lastAttempt().orElseThrow().endedAt()).isEqualTo(at(5));
    }

    @Test
    void cancelWhilePendingNamesNoProvider() {
        Job.Change c = aPendingJob().cancel("never mind", at(1));

        assertThat(c.event()).extracting(JobEvent::from, JobEvent::to, JobEvent::provider, JobEvent::attempt)
                .containsExactly(PENDING, CANCELLED, null, 0);
    }

    @Test
    void resubmitMovesAFailedJobBackToPendingPinnedToTheRequestedProvider() {
        Job failed = aJobIn(FAILED);

        Job.Change c = failed.resubmit(BETA, at(10));

        assertThat(c.event()).extracting(JobEvent::from, JobEvent::to, JobEvent::reason, JobEvent::provider, JobEvent::attempt)
                .containsExactly(FAILED, PENDING, ReasonCode.USER_REQUEST, BETA, 0);
        assertThat(c.event().message()).contains("resubmitted").contains("beta");
        assertThat(c.job().pinnedProvider()).contains(BETA);
        assertThat(c.job().attempts()).isEqualTo(failed.attempts());
    }

    @Test
    void waitingRecordsWhyAPendingJobWasNotPlaced() {
        List<PlacementNote> notes = List.of(new PlacementNote(ALPHA, ReasonCode.NO_CAPACITY, "full"));

        Job.Change c = aPendingJob().waiting(ReasonCode.NO_CAPACITY, "all full", at(1), notes);

        assertThat(c.event()).extracting(JobEvent::type, JobEvent::from, JobEvent::to, JobEvent::reason)
                .containsExactly(JobEvent.Type.WAITING, PENDING, PENDING, ReasonCode.NO_CAPACITY);
        assertThat(c.event().placement()).containsExactlyElementsOf(notes);
        assertThat(c.job().lastReason()).isEqualTo(ReasonCode.NO_CAPACITY);
        assertThatIllegalStateException().isThrownBy(() -> aRunningJob().waiting(ReasonCode.NO_CAPACITY, "x", at(5), notes))
                .withMessageContaining(JOB_ID.value()).withMessageContaining("RUNNING");
    }

    // ---- retry budget ------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ReasonCode.class)
    void anEndedAttemptIsChargedToTheBudgetExactlyWhenItsOutcomeChargesAttempts(ReasonCode outcome) {
        Job job = assignedThenRequeued(aPendingJob(aSpecWithAttempts(3)), ALPHA, outcome);

        int charged = outcome.chargesAttempt() ? 1 : 0;
        JobAssert.assertThat(job).hasAttempts(1).hasAttemptsUsed(charged).hasAttemptsLeft(3 - charged);
    }

    @Test
    void onlyOutcomesWhereTheProviderNeverTookTheJobAreFreeOfCharge() {
        assertThat(Arrays.stream(ReasonCode.values()).filter(r -> !r.chargesAttempt()))
                .containsExactlyInAnyOrder(ReasonCode.NO_CAPACITY, ReasonCode.INSUFFICIENT_FUNDS, ReasonCode.PROVIDER_OFFLINE,
                        ReasonCode.AUTH_FAILED, ReasonCode.PROVIDER_TIMEOUT, ReasonCode.USER_REQUEST);
    }

    @Test
    void anOpenAttemptCountsAsUsed() {
        JobAssert.assertThat(anAssignedJob()).hasAttemptsUsed(1).hasAttemptsLeft(2);
        JobAssert.assertThat(aRunningJob()).hasAttemptsUsed(1).hasAttemptsLeft(2);
    }

    @Test
    void freeAndChargedAttemptsMixInTheCount() {
        Job job = aPendingJob(aSpecWithAttempts(3));
        job = assignedThenRequeued(job, ALPHA, ReasonCode.NO_CAPACITY);
        job = assignedThenRequeued(job, BETA, ReasonCode.STUCK_PENDING);
        job = assignedThenRequeued(job, ALPHA, ReasonCode.INSUFFICIENT_FUNDS);
        job = assignedThenRequeued(job, BETA, ReasonCode.PROVIDER_LOST_JOB);

        JobAssert.assertThat(job).hasAttempts(4).hasAttemptsUsed(2).hasAttemptsLeft(1);
        assertThat(job.attempts()).extracting(Attempt::number).containsExactly(1, 2, 3, 4);
    }

    @Test
    void attemptsLeftNeverGoesBelowZero() {
        Job job = aPendingJob(aSpecWithAttempts(1));
        job = assignedThenRequeued(job, ALPHA, ReasonCode.PROVIDER_REJECTED);
        job = assignedThenRequeued(job, BETA, ReasonCode.PROVIDER_REJECTED);

        JobAssert.assertThat(job).hasAttemptsUsed(2).hasAttemptsLeft(0);
    }

    @Test
    void resubmitGivesAFreshBudgetAndKeepsTheHistory() {
        Job job = aPendingJob(aSpecWithAttempts(2));
        job = assignedThenRequeued(job, ALPHA, ReasonCode.PROVIDER_REJECTED);
        job = job.assign(BETA, at(20), List.of()).job()
                .fail(ReasonCode.PROVIDER_REJECTED, "rejected", at(21), null, List.of()).job();
        JobAssert.assertThat(job).isIn(FAILED).hasAttemptsUsed(2).hasAttemptsLeft(0);

        Job resubmitted = job.resubmit(null, at(30)).job();

        JobAssert.assertThat(resubmitted).isIn(PENDING).hasAttempts(2).hasAttemptsUsed(0).hasAttemptsLeft(2);
        assertThat(resubmitted.budgetStart()).isEqualTo(2);
        Job reassigned = resubmitted.assign(ALPHA, at(31), List.of()).job();
        JobAssert.assertThat(reassigned).hasAttempts(3).hasAttemptsUsed(1).hasAttemptsLeft(1);
        assertThat(reassigned.attempt()).isEqualTo(3);
    }

    // ---- cost --------------------------------------------------------------------------------

    @Test
    void spentSumsTheCostOfEveryAttemptIncludingThoseBeforeAResubmit() {
        Job job = anAssignedJob().start(at(2), REF).job()
                .requeue(ReasonCode.PROVIDER_LOST_JOB, "lost", at(3), new BigDecimal("0.10"), null).job()
                .assign(BETA, at(4), List.of()).job()
                .fail(ReasonCode.PROVIDER_REJECTED, "no", at(5), new BigDecimal("0.25"), List.of()).job()
                .resubmit(null, at(6)).job()
                .assign(ALPHA, at(7), List.of()).job()
                .start(at(8), null).job()
                .succeed(at(9), new BigDecimal("1.05")).job();

        assertThat(job.spent()).isEqualByComparingTo("1.40");
    }

    @Test
    void anAttemptEndedWithoutACostKeepsZero() {
        assertThat(aPendingJob().spent()).isEqualByComparingTo("0");
        assertThat(aRunningJob().succeed(at(5), null).job().spent()).isEqualByComparingTo("0");
        assertThat(aRunningJob().cancel("x", at(5)).job().lastAttempt().orElseThrow().cost()).isEqualByComparingTo("0");
    }

    // ---- resources ---------------------------------------------------------------------------

    @Test
    void withResourcesChangesAPendingJobsSpecAndRecordsWhatItWas() {
        Job pending = aPendingJob();
        Resources bigger = Resources.of(4000, "8Gi", "20Gi");

        Job.Change c = pending.withResources(bigger, at(1));

        assertThat(c.job().spec().resources()).isEqualTo(bigger);
        assertThat(c.job().spec().image()).isEqualTo(pending.spec().image());
        assertThat(pending.spec().resources()).isEqualTo(Resources.of(1000, "1Gi", "10Gi"));
        JobAssert.assertThat(c.job()).isIn(PENDING).hasVersion(2);
        assertThat(c.event()).extracting(JobEvent::type, JobEvent::from, JobEvent::to, JobEvent::reason)
                .containsExactly(JobEvent.Type.RESOURCES_UPDATED, PENDING, PENDING, ReasonCode.RESOURCES_UPDATED);
        assertThat(c.event().message()).contains("8Gi").contains("were").contains("1Gi");
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void withResourcesIsRefusedOutsidePendingNamingTheJobAndItsState(JobState state) {
        Job job = aJobIn(state);

        assertThatIllegalStateException().isThrownBy(() -> job.withResources(Resources.DEFAULT, at(10)))
                .withMessageContaining(JOB_ID.value())
                .withMessageContaining(state.name())
                .withMessageContaining("PENDING");
    }

    @Test
    void withResourcesRejectsNull() {
        assertThatNullPointerException().isThrownBy(() -> aPendingJob().withResources(null, at(1)))
                .withMessage("resources cannot be null");
    }

    // ---- snapshot ----------------------------------------------------------------------------

    @Test
    void attemptsAreUnmodifiable() {
        Job job = assignedThenRequeued(anAssignedJob().requeue(ReasonCode.STUCK_PENDING, "stuck", at(2), null, null).job(),
                BETA, ReasonCode.STUCK_PENDING);

        assertThat(job.attempts()).hasSize(2);
        assertThatThrownBy(() -> job.attempts().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void restoreRebuildsASnapshotAndCopiesTheAttempts() {
        Job running = aRunningJob();
        List<Attempt> attempts = new ArrayList<>(running.attempts());

        Job restored = Job.restore(JOB_ID, running.spec(), RUNNING, running.version(), attempts, 0, null,
                T0, at(2), ReasonCode.STARTED, null);
        attempts.clear();

        assertThat(restored).isEqualTo(running).hasSameHashCodeAs(running);
        assertThat(restored.attempts()).isEqualTo(running.attempts());
        assertThat(restored.lastMessage()).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> Job.restore(JOB_ID, aSpec(), PENDING, 0, List.of(), 0, null,
                T0, T0, ReasonCode.SUBMITTED, "")).withMessageContaining("version").withMessageContaining("0");
        assertThatNullPointerException().isThrownBy(() -> Job.restore(JOB_ID, aSpec(), null, 1, List.of(), 0, null,
                T0, T0, ReasonCode.SUBMITTED, "")).withMessage("state cannot be null");
    }

    @Test
    void snapshotsOfOneJobAreEqualOnlyAtTheSameVersion() {
        Job v1 = aPendingJob();
        Job v2 = v1.waiting(ReasonCode.NO_CAPACITY, "full", at(1), List.of()).job();

        assertThat(v1).isEqualTo(aPendingJob()).isNotEqualTo(v2);
        assertThat(v2.toString()).contains(JOB_ID.value()).contains("PENDING").contains("v2");
    }

    @Test
    void attemptNumbersStartAtOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> Attempt.begin(0, ALPHA, T0))
                .withMessageContaining("attempt number").withMessageContaining("0");
    }
}
