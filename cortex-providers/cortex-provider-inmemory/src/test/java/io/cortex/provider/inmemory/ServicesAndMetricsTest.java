package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.NO_CAPACITY;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.Cortex;
import io.cortex.core.EngineMetrics;
import io.cortex.core.NotFoundException;
import io.cortex.core.job.Job;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.metrics.MetricsSample;
import io.cortex.core.service.ServiceInfo;
import io.cortex.core.service.ServiceState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServicesAndMetricsTest {
    private EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void stoppedSchedulerNoLongerPlacesAndARestartPlacesAgain() {
        // Given the only provider is full, so a job waits for the scheduler to try again
        fx = EngineFixture.withProviders("a");
        fx.a().capacity(0);
        Job job = fx.aJob();
        assertThat(job).isIn(PENDING).hasReason(NO_CAPACITY);
        fx.a().capacity(5);

        // When the scheduler is stopped, ticks do not place the job although a has room again
        ServiceInfo stopped = fx.cortex().stopService(Cortex.SCHEDULER);
        assertThat(stopped.state()).isEqualTo(ServiceState.STOPPED);
        fx.advance(Duration.ofMinutes(2), Duration.ofSeconds(10));
        assertThat(fx.reload(job)).isIn(PENDING).hasAttempts(1);
        assertThat(fx.cortex().service(Cortex.PROVIDER_MONITOR).runs()).isPositive();

        // Then a restart makes the next tick place it
        ServiceInfo restarted = fx.cortex().restartService(Cortex.SCHEDULER);
        assertThat(restarted.state()).isEqualTo(ServiceState.RUNNING);
        assertThat(restarted.restarts()).isEqualTo(1);
        fx.tick();
        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(2);
        assertThat(fx.log(Cortex.SCHEDULER, null, null)).extracting(OperatorLogRecord::message)
                .contains("service stopped by request", "service restarted");
    }

    @Test
    void unknownServiceIsNotFoundAndTheMessageListsTheKnownOnes() {
        assertThatThrownBy(() -> fx.cortex().service("nope")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("nope").hasMessageContaining("scheduler").hasMessageContaining("provider-monitor")
                .hasMessageContaining("event-dispatcher").hasMessageContaining("metrics");
        assertThatThrownBy(() -> fx.cortex().restartService("nope")).isInstanceOf(NotFoundException.class);
        assertThat(fx.cortex().services()).extracting(ServiceInfo::name)
                .containsExactly("scheduler", "provider-monitor", "event-dispatcher", "metrics");
    }

    @Test
    void metricsCountWhatHappened() {
        fx.a().onImage("acme/broken", Outcome.exit(1, "no"));
        fx.b().onImage("acme/broken", Outcome.exit(1, "no"));
        fx.a().onImage("acme/stuck", Outcome.hang());
        fx.b().onImage("acme/stuck", Outcome.hangRunning());
        fx.aJob();
        fx.aJob();
        fx.submit(EngineFixture.spec().image("acme/broken:1"));
        Job stuck = fx.submit(EngineFixture.spec().image("acme/stuck:1"));
        fx.advance(Duration.ofMinutes(5));      // stuck on a: fails over to b, where it runs
        fx.cortex().cancel(stuck.id());

        EngineMetrics m = fx.cortex().metrics();

        assertThat(m.submitted()).isEqualTo(4);
        assertThat(m.succeeded()).isEqualTo(2);
        assertThat(m.failed()).isEqualTo(1);
        assertThat(m.cancelled()).isEqualTo(1);
        assertThat(m.placements()).isEqualTo(5);
        assertThat(m.failovers()).containsExactlyEntriesOf(java.util.Map.of(ReasonCode.STUCK_PENDING, 1L));
        assertThat(m.jobsByState()).containsEntry(SUCCEEDED, 2L).containsEntry(FAILED, 1L)
                .containsEntry(io.cortex.core.job.JobState.CANCELLED, 1L).containsEntry(PENDING, 0L);
        assertThat(m.eventsPublished()).isEqualTo(fx.events().size());
        assertThat(m.eventsWaiting()).isZero();
    }

    @Test
    void metricsServiceSamplesAtEachMinuteOfItsClock() {
        fx = new EngineFixture().engine(b -> b.metrics(Duration.ofMinutes(1), 3));
        Instant t0 = fx.clock.instant();                  // 2030-01-01T00:00:00Z

        fx.tick();                                        // the first sample is due at the next minute
        assertThat(fx.cortex().metricsHistory().samples()).isEmpty();
        fx.aJob();
        fx.advance(Duration.ofSeconds(30));               // too early
        assertThat(fx.cortex().metricsHistory().samples()).isEmpty();
        fx.advance(Duration.ofSeconds(30));               // the first sample, counting the job
        assertThat(fx.cortex().metricsHistory().samples()).extracting(MetricsSample::submitted).containsExactly(1L);

        fx.advance(Duration.ofMinutes(3), Duration.ofSeconds(20));
        // bounded to 3 samples, oldest first, one a minute
        assertThat(fx.cortex().metricsHistory().samples()).extracting(MetricsSample::at)
                .containsExactly(t0.plusSeconds(120), t0.plusSeconds(180), t0.plusSeconds(240));
        assertThat(fx.cortex().metricsHistory().samples()).extracting(MetricsSample::submitted).containsOnly(0L);
        assertThat(fx.cortex().service(Cortex.METRICS).runs()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void stoppedMetricsServiceTakesNoSamplesUntilRestartedAndThenCountsWhatHappenedMeanwhile() {
        fx.advance(Duration.ofMinutes(1));
        fx.cortex().stopService(Cortex.METRICS);
        fx.aJob();
        fx.advance(Duration.ofMinutes(5), Duration.ofMinutes(1));
        assertThat(fx.cortex().metricsHistory().samples()).hasSize(1);
        assertThat(fx.cortex().service(Cortex.METRICS).state()).isEqualTo(ServiceState.STOPPED);

        fx.cortex().restartService(Cortex.METRICS);
        fx.tick();
        assertThat(fx.cortex().metricsHistory().samples()).extracting(MetricsSample::submitted).containsExactly(0L, 1L);
    }
}
