package io.cortex.provider.inmemory;

import static io.cortex.core.job.ReasonCode.PROVIDER_OFFLINE;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.Job;
import io.cortex.core.job.JobState;
import io.cortex.core.metrics.HistoryRange;
import io.cortex.core.metrics.MetricsHistory;
import io.cortex.core.metrics.MetricsSample;
import io.cortex.core.metrics.MetricsSeries;
import io.cortex.core.provider.ProviderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's history as the dashboard's charts read it, driven by a manual clock. */
class MetricsHistoryTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private final EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static Instant minute(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    private MetricsSeries series(HistoryRange range) {
        return fx.cortex().metricsHistory().series(range);
    }

    @Test
    void anEngineThatJustStartedHasNoPoints() {
        fx.tick();
        fx.aJob();

        assertThat(fx.cortex().metricsHistory().capacity()).isEqualTo(MetricsHistory.DEFAULT_CAPACITY).isEqualTo(10_080);
        assertThat(fx.cortex().metricsHistory().interval()).isEqualTo(Duration.ofMinutes(1));
        for (HistoryRange range : HistoryRange.values()) {
            assertThat(series(range).points()).as(range.wireName()).isEmpty();
        }
    }

    @Test
    void jobsAndAFailoverLandInTheirStepsForEveryRange() {
        fx.a().onImage("acme/broken:1", Outcome.exit(1, "boom"));
        fx.b().onImage("acme/broken:1", Outcome.exit(1, "boom"));
        fx.a().onImage("acme/slow:1", Outcome.hang());             // accepted by a, never started
        fx.b().onImage("acme/wait:1", Outcome.hang());
        fx.cortex();

        // minute 1: three jobs submitted, one succeeds, one fails, one hangs on a
        fx.advance(Duration.ofSeconds(10));
        assertThat(fx.aJob()).isIn(JobState.SUCCEEDED);
        assertThat(fx.submit(EngineFixture.spec().image("acme/broken:1"))).isIn(JobState.FAILED);
        Job slow = fx.submit(EngineFixture.spec().image("acme/slow:1"));
        assertThat(slow).isIn(JobState.ASSIGNED).isOn("a");
        fx.advance(Duration.ofSeconds(50));

        // minute 2: a goes offline (two failed checks); the slow job fails over to b and succeeds there
        fx.a().goOffline();
        fx.advance(Duration.ofSeconds(30)).advance(Duration.ofSeconds(30));
        assertThat(fx.reload(slow)).isIn(JobState.SUCCEEDED).endedAttemptWith(1, PROVIDER_OFFLINE);

        // minute 3: a job is submitted and cancelled
        fx.advance(Duration.ofSeconds(20));
        Job waiting = fx.submit(EngineFixture.spec().image("acme/wait:1"));
        fx.cortex().cancel(waiting.id());
        fx.advance(Duration.ofSeconds(40));

        // then quiet minutes up to minute 16
        fx.advance(Duration.ofMinutes(13), Duration.ofMinutes(1));

        List<MetricsSample> samples = fx.cortex().metricsHistory().samples();
        assertThat(samples).extracting(MetricsSample::at).startsWith(minute(1), minute(2), minute(3)).hasSize(16);
        MetricsSample first = samples.get(0);
        assertThat(List.of(first.submitted(), first.succeeded(), first.failed(), first.cancelled(), first.failovers()))
                .containsExactly(3L, 1L, 1L, 0L, 0L);
        assertThat(first.jobsByState()).containsEntry(JobState.ASSIGNED, 1L).containsEntry(JobState.SUCCEEDED, 1L)
                .containsEntry(JobState.FAILED, 1L);
        assertThat(first.providers()).isEqualTo(Map.of(ProviderStatus.ONLINE, 2L, ProviderStatus.DEGRADED, 0L,
                ProviderStatus.OFFLINE, 0L));
        MetricsSample second = samples.get(1);
        assertThat(second.failoversByReason()).isEqualTo(Map.of(PROVIDER_OFFLINE, 1L));
        assertThat(second.succeeded()).isEqualTo(1);
        assertThat(second.submitted()).isZero();
        assertThat(second.providers()).containsEntry(ProviderStatus.OFFLINE, 1L).containsEntry(ProviderStatus.ONLINE, 1L);
        assertThat(second.jobsByState()).containsEntry(JobState.ASSIGNED, 0L).containsEntry(JobState.SUCCEEDED, 2L);
        MetricsSample third = samples.get(2);
        assertThat(List.of(third.submitted(), third.cancelled(), third.failovers())).containsExactly(1L, 1L, 0L);
        assertThat(samples.subList(3, 16)).allSatisfy(s -> assertThat(s.submitted() + s.succeeded() + s.failed()
                + s.cancelled() + s.failovers()).isZero());

        MetricsSeries hour = series(HistoryRange.HOUR);
        assertThat(hour.step()).isEqualTo(Duration.ofMinutes(1));
        assertThat(hour.to()).isEqualTo(minute(16));
        assertThat(hour.points()).isEqualTo(samples);

        MetricsSeries day = series(HistoryRange.DAY);
        assertThat(day.to()).isEqualTo(minute(30));
        assertThat(day.points()).extracting(MetricsSample::at).containsExactly(minute(15), minute(30));
        MetricsSample quarter = day.points().get(0);
        assertThat(List.of(quarter.submitted(), quarter.succeeded(), quarter.failed(), quarter.cancelled()))
                .containsExactly(4L, 2L, 1L, 1L);
        assertThat(quarter.failoversByReason()).isEqualTo(Map.of(PROVIDER_OFFLINE, 1L));
        assertThat(quarter.jobsByState()).isEqualTo(samples.get(14).jobsByState());
        assertThat(quarter.providers()).containsEntry(ProviderStatus.OFFLINE, 1L);
        assertThat(day.points().get(1).submitted()).isZero();

        MetricsSeries week = series(HistoryRange.WEEK);
        assertThat(week.points()).singleElement().satisfies(p -> {
            assertThat(p.at()).isEqualTo(minute(60));
            assertThat(List.of(p.submitted(), p.succeeded(), p.failed(), p.cancelled(), p.failovers()))
                    .containsExactly(4L, 2L, 1L, 1L, 1L);
            assertThat(p.jobsByState()).isEqualTo(samples.get(15).jobsByState());
        });
    }
}
