package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cortex.core.event.EventTypes;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.ReasonCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HappyPathTest {
    private final EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void zeroDelayJobSucceedsInsideSubmit() {
        Job job = fx.aJob();

        assertThat(job).isIn(SUCCEEDED).hasReason(ReasonCode.COMPLETED).hasAttempts(1).ranAttemptOn(1, "a")
                .endedAttemptWith(1, ReasonCode.COMPLETED).hasVersion(4);
        assertThat(fx.history(job)).extracting(JobEvent::version, JobEvent::from, JobEvent::to, JobEvent::reason)
                .containsExactly(
                        tuple(1L, null, PENDING, ReasonCode.SUBMITTED),
                        tuple(2L, PENDING, ASSIGNED, ReasonCode.PLACED),
                        tuple(3L, ASSIGNED, RUNNING, ReasonCode.STARTED),
                        tuple(4L, RUNNING, SUCCEEDED, ReasonCode.COMPLETED));
        assertThat(fx.a().submissions()).isEqualTo(1);
        assertThat(fx.b().submissions()).isZero();
    }

    @Test
    void listenerSeesEveryChangeOfAZeroDelayJobInVersionOrderBeforeSubmitReturns() {
        Job job = fx.aJob();

        List<JobEvent> delivered = fx.deliveredFor(job);
        assertThat(delivered).extracting(JobEvent::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(delivered).extracting(JobEvent::to).containsExactly(PENDING, ASSIGNED, RUNNING, SUCCEEDED);
        assertThat(fx.events().stream().filter(e -> e.job() != null).map(e -> e.type()).toList())
                .containsExactly(EventTypes.JOB_UPDATED, EventTypes.JOB_STATUS_CHANGED, EventTypes.JOB_STATUS_CHANGED,
                        EventTypes.JOB_STATUS_CHANGED);
        assertThat(fx.cortex().metrics().succeeded()).isEqualTo(1);
    }

    @Test
    void timedJobProgressesOnlyAsTheClockAdvancesAndTicksPollIt() {
        // Given a provider that starts jobs after 10 s and runs them for 1 min
        fx.a().startAfter(Duration.ofSeconds(10)).runFor(Duration.ofMinutes(1));
        Job job = fx.aJob();
        assertThat(job).isIn(ASSIGNED).isOn("a");

        // When ticks run without time passing, nothing moves
        fx.tick().tick().tick();
        assertThat(fx.reload(job)).isIn(ASSIGNED);
        fx.advance(Duration.ofSeconds(9));
        assertThat(fx.reload(job)).isIn(ASSIGNED);

        // Then the start delay passing and a poll start it
        fx.advance(Duration.ofSeconds(1));
        assertThat(fx.reload(job)).isIn(RUNNING).isOn("a");

        // the clock moving without a tick changes nothing: the engine learns by polling
        fx.clock.advance(Duration.ofMinutes(2));
        assertThat(fx.reload(job)).isIn(RUNNING);
        fx.tick();
        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(1);

        assertThat(fx.history(job)).extracting(JobEvent::type).containsExactly(JobEvent.Type.SUBMITTED,
                JobEvent.Type.STATE_CHANGED, JobEvent.Type.PROVIDER_ACCEPTED, JobEvent.Type.STATE_CHANGED,
                JobEvent.Type.STATE_CHANGED);
        assertThat(fx.deliveredFor(job)).extracting(JobEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void runningJobIsNotFinishedBeforeItsRunTime() {
        fx.a().runFor(Duration.ofMinutes(1));
        Job job = fx.aJob();
        fx.tick();
        assertThat(fx.reload(job)).isIn(RUNNING);

        fx.advance(Duration.ofSeconds(50), Duration.ofSeconds(10));
        assertThat(fx.reload(job)).isIn(RUNNING);

        fx.advance(Duration.ofSeconds(10));
        assertThat(fx.reload(job)).isIn(SUCCEEDED);
        assertThat(fx.reload(job).attempts().get(0).startedAt()).isEqualTo(job.createdAt());
    }
}
