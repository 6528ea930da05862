package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.COMPLETED;
import static io.cortex.core.job.ReasonCode.RETRY_BUDGET_EXHAUSTED;
import static io.cortex.core.job.ReasonCode.STUCK_PENDING;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cortex.core.diagnostics.Diagnosis;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.log.OperatorLogRecord;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StuckPendingFailoverTest {
    private EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void stuckPendingJobFailsOverToAnotherProviderAfterTheDefaultFiveMinutes() {
        // Given a hangs every job it accepts (and is tried first: same price, first by id)
        fx.a().defaultOutcome(Outcome.hang());
        Job job = fx.aJob();
        assertThat(job).isIn(ASSIGNED).isOn("a");

        // When just under five minutes pass, nothing happens
        fx.advance(Duration.ofMinutes(4).plusSeconds(59), Duration.ofSeconds(30));
        assertThat(fx.reload(job)).isIn(ASSIGNED).isOn("a").hasAttempts(1);
        assertThat(fx.a().cancellations()).isZero();

        // Then at five minutes the attempt is cancelled on a and the job runs on b
        fx.advance(Duration.ofSeconds(1));
        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(2)
                .ranAttemptOn(1, "a").endedAttemptWith(1, STUCK_PENDING)
                .ranAttemptOn(2, "b").endedAttemptWith(2, COMPLETED);
        assertThat(fx.a().cancellations()).isEqualTo(1);
        assertThat(fx.a().activeJobs()).isZero();

        JobEvent stuck = fx.history(job).stream().filter(e -> e.reason() == STUCK_PENDING).findFirst().orElseThrow();
        assertThat(stuck.from()).isEqualTo(ASSIGNED);
        assertThat(stuck.to()).isEqualTo(PENDING);
        assertThat(stuck.message()).contains("pending timeout of PT5M");
        JobEvent replaced = fx.history(job).stream().filter(e -> e.to() == ASSIGNED && e.attempt() == 2).findFirst().orElseThrow();
        assertThat(replaced.placement()).extracting(PlacementNote::provider, PlacementNote::reason)
                .contains(tuple(EngineFixture.id("a"), ReasonCode.FAILED_EARLIER_ATTEMPT), tuple(EngineFixture.id("b"), ReasonCode.PLACED));
        assertThat(fx.log("scheduler", "a", job.id())).extracting(OperatorLogRecord::reason).contains(STUCK_PENDING.name());
        assertThat(fx.cortex().metrics().failovers()).containsEntry(STUCK_PENDING, 1L);
    }

    @Test
    void configuredPendingTimeoutIsHonoured() {
        fx = new EngineFixture().engine(b -> b.pendingTimeout(Duration.ofSeconds(90)));
        fx.a().defaultOutcome(Outcome.hang());
        Job job = fx.aJob();

        fx.advance(Duration.ofSeconds(89));
        assertThat(fx.reload(job)).isIn(ASSIGNED).isOn("a");

        fx.advance(Duration.ofSeconds(1));
        assertThat(fx.reload(job)).isIn(SUCCEEDED).endedAttemptWith(1, STUCK_PENDING).ranAttemptOn(2, "b");
        assertThat(fx.history(job).stream().filter(e -> e.reason() == STUCK_PENDING).findFirst().orElseThrow().message())
                .contains("PT1M30S");
    }

    @Test
    void failedOverJobPrefersEveryOtherProviderBeforeGoingBack() {
        fx = EngineFixture.withProviders("a", "b", "c");
        fx.a().defaultOutcome(Outcome.hang());
        fx.b().defaultOutcome(Outcome.hang());
        Job job = fx.submit(EngineFixture.spec().maxAttempts(3));
        assertThat(job).isOn("a");

        fx.advance(Duration.ofMinutes(5));
        assertThat(fx.reload(job)).isIn(ASSIGNED).isOn("b");

        fx.advance(Duration.ofMinutes(5));
        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(3).ranAttemptOn(3, "c");
        assertThat(fx.a().submissions()).isEqualTo(1);
        assertThat(fx.b().submissions()).isEqualTo(1);
        assertThat(fx.a().cancellations()).isEqualTo(1);
        assertThat(fx.b().cancellations()).isEqualTo(1);
    }

    @Test
    void stuckJobGoesBackToTheSameProviderWhenNoOtherFits() {
        fx = EngineFixture.withProviders("a");
        fx.a().defaultOutcome(Outcome.hang());
        Job job = fx.submit(EngineFixture.spec().maxAttempts(3));

        fx.advance(Duration.ofMinutes(5));
        assertThat(fx.reload(job)).isIn(ASSIGNED).isOn("a").hasAttempts(2).endedAttemptWith(1, STUCK_PENDING);
        JobEvent placedAgain = fx.history(fx.reload(job)).stream().filter(e -> e.to() == ASSIGNED && e.attempt() == 2)
                .findFirst().orElseThrow();
        assertThat(placedAgain.placement()).extracting(PlacementNote::reason).contains(ReasonCode.FAILED_EARLIER_ATTEMPT);
        assertThat(fx.a().submissions()).isEqualTo(2);
        assertThat(fx.a().cancellations()).isEqualTo(1);
    }

    @Test
    void retryBudgetExhaustedByStuckAttemptsFailsTheJob() {
        // Given two hanging providers and a job with two attempts
        fx.a().defaultOutcome(Outcome.hang());
        fx.b().defaultOutcome(Outcome.hang());
        Job job = fx.submit(EngineFixture.spec().maxAttempts(2));

        // When both attempts get stuck
        fx.advance(Duration.ofMinutes(5));
        fx.advance(Duration.ofMinutes(5));

        // Then the job fails for good and nothing is left running anywhere
        Job after = fx.reload(job);
        assertThat(after).isIn(FAILED).hasReason(RETRY_BUDGET_EXHAUSTED).hasAttempts(2).hasAttemptsUsed(2)
                .endedAttemptWith(1, STUCK_PENDING)
                .hasMessageContaining("did not start within the pending timeout").hasMessageContaining("no attempt left (2 used)");
        assertThat(fx.a().cancellations() + fx.b().cancellations()).isEqualTo(2);
        assertThat(fx.a().activeJobs() + fx.b().activeJobs()).isZero();
        assertThat(fx.cortex().providers()).allSatisfy(p -> assertThat(p.jobsInFlight()).isZero());

        fx.advance(Duration.ofMinutes(30), Duration.ofMinutes(5));
        assertThat(fx.reload(job)).isIn(FAILED).hasVersion(after.version());

        Diagnosis d = fx.cortex().diagnose(job.id());
        assertThat(d.primary().orElseThrow().reason()).isEqualTo(RETRY_BUDGET_EXHAUSTED);
        assertThat(d.has(STUCK_PENDING)).isTrue();
        assertThat(fx.log("scheduler", null, job.id())).extracting(OperatorLogRecord::reason).contains(RETRY_BUDGET_EXHAUSTED.name());
    }
}
