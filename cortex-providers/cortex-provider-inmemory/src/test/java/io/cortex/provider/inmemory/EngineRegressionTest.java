package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.PROVIDER_OFFLINE;
import static io.cortex.core.job.ReasonCode.RETRY_BUDGET_EXHAUSTED;
import static io.cortex.core.job.ReasonCode.STUCK_PENDING;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.Job;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Regressions found while reviewing the engine, each named after what went wrong. */
class EngineRegressionTest {
    private EngineFixture fx;

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void jobMovedOffAnOfflineProviderIsCancelledThereWhenItAnswersAgainSoItDoesNotRunTwice() {
        // Given a job running on a, which then stops answering
        fx = new EngineFixture().provider("a", p -> p.runFor(Duration.ofMinutes(10))).provider("b", p -> p.price("1", "USD"));
        Job job = fx.aJob();
        assertThat(fx.reload(job)).isIn(RUNNING).isOn("a");
        fx.a().goOffline();

        // When a is confirmed offline, the job moves to b
        fx.advance(Duration.ofSeconds(30)).advance(Duration.ofSeconds(30));
        assertThat(fx.reload(job)).endedAttemptWith(1, PROVIDER_OFFLINE).ranAttemptOn(2, "b");
        assertThat(fx.a().activeJobs()).isEqualTo(1);

        // Then once a answers again, the attempt left there is cancelled
        fx.a().goOnline();
        fx.advance(Duration.ofSeconds(30)).advance(Duration.ofSeconds(30));
        assertThat(fx.a().activeJobs()).isZero();
        assertThat(fx.a().cancellations()).isEqualTo(1);
    }

    @Test
    void jobThatUsedUpItsAttemptsKeepsTheLastAttemptsRealCause() {
        // Given a single provider that never starts jobs
        fx = EngineFixture.withProviders("a");
        fx.a().defaultOutcome(Outcome.hang());
        Job job = fx.submit(EngineFixture.spec().maxAttempts(1));
        assertThat(job).isIn(ASSIGNED);

        // When the pending timeout passes
        fx.advance(Duration.ofMinutes(5));

        // Then the job failed for its budget, and the attempt still says it was stuck
        assertThat(fx.reload(job)).isIn(FAILED).hasReason(RETRY_BUDGET_EXHAUSTED).endedAttemptWith(1, STUCK_PENDING);
        assertThat(fx.cortex().diagnose(job.id()).has(STUCK_PENDING)).isTrue();
    }

    @Test
    void stuckAttemptIsCancelledOnlyAfterTheEngineMovedTheJob() {
        fx = new EngineFixture();
        fx.a().defaultOutcome(Outcome.hang());
        fx.b().defaultOutcome(Outcome.hang());
        Job job = fx.aJob();

        fx.advance(Duration.ofMinutes(5));

        assertThat(fx.reload(job)).endedAttemptWith(1, STUCK_PENDING).isIn(ASSIGNED);
        assertThat(fx.a().cancellations()).isEqualTo(1);
        assertThat(fx.b().cancellations()).isZero();
        fx.b().defaultOutcome(Outcome.succeed());
        assertThat(fx.reload(job).state()).isNotEqualTo(SUCCEEDED);
    }

    @Test
    void pushingProviderIsFirstPolledOnlyAPollIntervalAfterPlacement() {
        // found by the lifecycle benchmark: a job seen RUNNING was polled at once, and a provider that
        // had already forgotten the finished run answered "lost", failing the job over for nothing
        fx = EngineFixture.withProviders("a").provider("a", p -> p.runFor(Duration.ofHours(1)));
        Job job = fx.aJob();
        assertThat(fx.reload(job)).isIn(RUNNING);

        fx.tick();
        assertThat(fx.a().statusCalls()).isZero();

        fx.advance(Duration.ofSeconds(10));
        assertThat(fx.a().statusCalls()).isEqualTo(1);
    }

    @Test
    void submitOfAJobThatRetentionDroppedAtOnceDoesNotThrow() {
        // found by the lifecycle benchmark: with retention 0 the job is gone when the provider's
        // accept comes back, and submit threw NotFoundException for a job that had succeeded
        fx = EngineFixture.withProviders("a").engine(b -> b.retention(0, Duration.ofHours(1)));

        Job job = fx.aJob();

        assertThat(job.id()).isNotNull();
        assertThat(fx.cortex().findJob(job.id())).isEmpty();
        assertThat(fx.cortex().metrics().succeeded()).isEqualTo(1);
    }

    @Test
    void providerEventIdsDifferBetweenEnginesSharingAStore() {
        // found in the multi-engine review: ids were provider + millis + a per-engine counter
        fx = EngineFixture.withProviders("a").engine(b -> b.healthThreshold(1));
        EngineFixture other = EngineFixture.withProviders("a").engine(b -> b.healthThreshold(1));
        try {
            fx.a().goOffline();
            other.a().goOffline();
            fx.advance(Duration.ofSeconds(30));
            other.advance(Duration.ofSeconds(30));

            String first = fx.events().stream().filter(e -> e.provider() != null).findFirst().orElseThrow().id();
            String second = other.events().stream().filter(e -> e.provider() != null).findFirst().orElseThrow().id();
            assertThat(first).startsWith("evt_p_a_").isNotEqualTo(second);
        } finally {
            other.close();
        }
    }
}
