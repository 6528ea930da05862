package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.NO_CAPACITY;
import static io.cortex.provider.inmemory.EngineFixture.id;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.Attempt;
import io.cortex.core.job.Job;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CongestionTest {
    private EngineFixture fx;

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void jobRefusedForNoCapacityGoesElsewhereWithoutBeingCharged() {
        // Given a is cheaper but has room for one job, which it holds
        fx = new EngineFixture()
                .provider("a", p -> p.price("0.10", "USD").wallet("100").capacity(1).runFor(Duration.ofMinutes(10)))
                .provider("b", p -> p.price("0.20", "USD").wallet("100"));
        Job first = fx.aJob();
        assertThat(first).isIn(RUNNING).isOn("a"); // zero start delay: started inside submit

        // When a second job with a single attempt comes
        Job second = fx.submit(EngineFixture.spec().maxAttempts(1));

        // Then a refused it, and the refusal did not use up its only attempt: it ran on b
        assertThat(second).isIn(SUCCEEDED).hasAttempts(2).endedAttemptWith(1, NO_CAPACITY).ranAttemptOn(2, "b").hasAttemptsUsed(1);
        assertThat(fx.cortex().provider(id("a")).congestedUntil()).isEqualTo(fx.clock.instant().plusSeconds(30));

        // and while a is congested, placement does not even ask it
        long asked = fx.a().submissions();
        assertThat(fx.submit(EngineFixture.spec())).isIn(SUCCEEDED).hasAttempts(1).ranAttemptOn(1, "b");
        assertThat(fx.a().submissions()).isEqualTo(asked);
    }

    @Test
    void congestionBackoffDoublesSoAWaitingJobDoesNotPileUpAttempts() {
        // Given the only provider is full for an hour
        fx = EngineFixture.withProviders("a").provider("a", p -> p.capacity(1).runFor(Duration.ofHours(1)));
        fx.aJob();
        Job waiting = fx.submit(EngineFixture.spec());

        // When the job waits for that hour
        fx.advance(Duration.ofMinutes(59), Duration.ofSeconds(10));

        // Then a was asked only a handful of times (30 s, 1, 2, 4, 8, 16 min, then every 16 min), not every 30 s
        assertThat(fx.reload(waiting).attempts()).hasSizeBetween(5, 9);
    }

    @Test
    void jobWaitsForCapacityAndIsPlacedWhenItFrees() {
        // Given the only provider runs one job at a time, two minutes each
        fx = EngineFixture.withProviders("a").provider("a", p -> p.capacity(1).runFor(Duration.ofMinutes(2)));
        Job first = fx.aJob();

        // When a second job comes, it waits
        Job second = fx.submit(EngineFixture.spec().maxAttempts(1));
        assertThat(second).isIn(PENDING).hasReason(NO_CAPACITY).hasAttempts(1).hasAttemptsUsed(0);
        assertThat(fx.cortex().diagnose(second.id()).has(NO_CAPACITY)).isTrue();

        // Then it runs once the first finished; a is asked again after 30 s, 60 s, 120 s… (backoff doubles)
        fx.advance(Duration.ofMinutes(8), Duration.ofSeconds(10));
        assertThat(fx.reload(first)).isIn(SUCCEEDED);
        Job after = fx.reload(second);
        assertThat(after).isIn(SUCCEEDED).hasAttemptsUsed(1);
        assertThat(after.attempts()).hasSizeBetween(2, 4);
        assertThat(after.attempts().subList(0, after.attempts().size() - 1)).extracting(Attempt::outcome).containsOnly(NO_CAPACITY);
        assertThat(after.attempts().get(0).assignedAt()).isBefore(after.attempts().get(after.attempts().size() - 1).assignedAt());
        assertThat(fx.a().activeJobs()).isZero();
    }
}
