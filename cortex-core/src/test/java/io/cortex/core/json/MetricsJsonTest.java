package io.cortex.core.json;

import static io.cortex.core.json.Json.q;
import static io.cortex.core.json.Json.read;
import static io.cortex.core.json.Json.roundTrip;
import static io.cortex.core.json.Json.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.metrics.DeliveryCounts;
import io.cortex.core.metrics.HistoryRange;
import io.cortex.core.metrics.MetricsSample;
import io.cortex.core.metrics.MetricsSeries;
import io.cortex.core.provider.ProviderStatus;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history is written in the exact shape of the dashboard's contract (upper-case keys, derived totals). */
class MetricsJsonTest {
    private static final MetricsSample POINT = new MetricsSample(Instant.parse("2026-11-28T10:01:00Z"),
            Map.of(JobState.RUNNING, 1L, JobState.SUCCEEDED, 40L, JobState.FAILED, 2L), 12, 10, 1, 0,
            Map.of(ReasonCode.PROVIDER_OFFLINE, 3L), Map.of(ProviderStatus.ONLINE, 2L, ProviderStatus.OFFLINE, 1L),
            new DeliveryCounts(9, 1));

    @Test
    void aSeriesIsWrittenAsTheChartsReadIt() {
        MetricsSeries series = new MetricsSeries(HistoryRange.HOUR, Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T11:00:00Z"), List.of(POINT));

        assertThat(write(series)).isEqualTo(q("{'range':'1h','step':'PT1M','from':'2026-11-28T10:00:00Z',"
                + "'to':'2026-11-28T11:00:00Z','points':[{'at':'2026-11-28T10:01:00Z',"
                + "'jobsByState':{'PENDING':0,'ASSIGNED':0,'RUNNING':1,'SUCCEEDED':40,'FAILED':2,'CANCELLED':0},"
                + "'submitted':12,'succeeded':10,'failed':1,'cancelled':0,'failovers':3,"
                + "'failoversByReason':{'PROVIDER_OFFLINE':3},'providers':{'ONLINE':2,'DEGRADED':0,'OFFLINE':1},"
                + "'deliveries':{'succeeded':9,'failed':1}}]}"));
        assertThat(roundTrip(series, MetricsSeries.class)).isEqualTo(series);
    }

    @Test
    void readingNamesTheBadKey() {
        assertThatThrownBy(() -> read(q("{'at':'2026-11-28T10:01:00Z','providers':{'SLEEPY':1}}"), MetricsSample.class))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("providers key 'SLEEPY'");
        assertThatThrownBy(() -> read(q("{'range':'2h','from':'2026-11-28T10:00:00Z','to':'2026-11-28T11:00:00Z'}"),
                MetricsSeries.class)).isInstanceOf(UncheckedIOException.class).hasMessageContaining("1h, 24h, 7d");
    }
}
