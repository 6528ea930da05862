package io.cortex.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsValuesTest {
    private static final Instant T = Instant.parse("2030-01-01T00:01:00Z");

    @Test
    void rangesParseTheirWireNamesAndListThemWhenWrong() {
        assertThat(HistoryRange.parse("1h")).isEqualTo(HistoryRange.HOUR);
        assertThat(HistoryRange.parse("24h")).isEqualTo(HistoryRange.DAY);
        assertThat(HistoryRange.parse("7d")).isEqualTo(HistoryRange.WEEK);
        assertThat(HistoryRange.values()).extracting(HistoryRange::maxPoints).containsExactly(60, 96, 168);
        assertThat(HistoryRange.DAY.step()).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> HistoryRange.parse("2h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("range '2h' is not one of 1h, 24h, 7d");
    }

    @Test
    void aSampleFillsInMissingGaugesAndDropsZeroFailovers() {
        MetricsSample s = new MetricsSample(T, Map.of(JobState.RUNNING, 1L), 0, 0, 0, 0,
                Map.of(ReasonCode.PROVIDER_OFFLINE, 0L, ReasonCode.STUCK_PENDING, 2L), Map.of(), DeliveryCounts.NONE);

        assertThat(s.jobsByState()).hasSize(JobState.values().length).containsEntry(JobState.PENDING, 0L);
        assertThat(s.providers()).containsOnlyKeys(ProviderStatus.values());
        assertThat(s.failoversByReason()).containsOnlyKeys(ReasonCode.STUCK_PENDING);
        assertThat(s.failovers()).isEqualTo(2);
    }

    @Test
    void negativeCountsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new MetricsSample(T, Map.of(), -1, 0, 0, 0, Map.of(), Map.of(), DeliveryCounts.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("submitted must not be negative, got -1");
        assertThatThrownBy(() -> new MetricsSample(T, Map.of(JobState.FAILED, -2L), 0, 0, 0, 0, Map.of(), Map.of(),
                DeliveryCounts.NONE)).hasMessage("jobsByState.FAILED must not be negative, got -2");
        assertThatThrownBy(() -> new DeliveryCounts(0, -1)).hasMessage("failed must not be negative, got -1");
        assertThat(new DeliveryCounts(5, 3).since(new DeliveryCounts(2, 4))).isEqualTo(new DeliveryCounts(3, 3));
    }

    @Test
    void aSeriesNeedsFromBeforeTo() {
        assertThatThrownBy(() -> new MetricsSeries(HistoryRange.HOUR, T, T, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be before");
    }
}
