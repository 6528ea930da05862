package io.cortex.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.EngineMetrics;
import io.cortex.core.ManualClock;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.metrics.DeliveryCounts;
import io.cortex.core.metrics.HistoryRange;
import io.cortex.core.metrics.MetricsHistory;
import io.cortex.core.metrics.MetricsSample;
import io.cortex.core.metrics.MetricsSeries;
import io.cortex.core.provider.ProviderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ring, the sampling boundaries and the downsampling, driven by a manual clock and fake counters. */
class MetricsRecorderTest {
    private static final Instant MIDNIGHT = Instant.parse("2030-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(MIDNIGHT.plusSeconds(30));
    private final Engine engine = new Engine();
    private final List<ProviderStatus> providers = new ArrayList<>(List.of(ProviderStatus.ONLINE, ProviderStatus.ONLINE));
    private MetricsRecorder history = recorder(MetricsHistory.DEFAULT_CAPACITY);

    /** Running counters and gauges, as {@code Cortex.metrics()} would read them. */
    private final class Engine {
        long submitted;
        long succeeded;
        long failed;
        long cancelled;
        final Map<ReasonCode, Long> failovers = new EnumMap<>(ReasonCode.class);
        final Map<JobState, Long> jobs = new EnumMap<>(JobState.class);

        EngineMetrics read() {
            return new EngineMetrics(clock.instant(), jobs, submitted, succeeded, failed, cancelled, 0, failovers, 0, 0);
        }
    }

    private MetricsRecorder recorder(int capacity) {
        return new MetricsRecorder(clock, Duration.ofMinutes(1), capacity, engine::read, () -> List.copyOf(providers));
    }

    /** Moves the clock to {@code at} (just after it, as a real scheduler would) and runs the service's pass. */
    private void passAt(Instant at) {
        clock.advance(Duration.between(clock.instant(), at.plusMillis(400)));
        history.pass();
    }

    private static Instant minute(int n) {
        return MIDNIGHT.plus(Duration.ofMinutes(n));
    }

    @Test
    void anEngineThatJustStartedHasNoPointsInAnyRange() {
        history.pass();

        assertThat(history.samples()).isEmpty();
        for (HistoryRange range : HistoryRange.values()) {
            MetricsSeries s = history.series(range);
            assertThat(s.points()).as(range.wireName()).isEmpty();
            assertThat(s.to()).isEqualTo(MIDNIGHT.plus(range.step()));
            assertThat(s.from()).isEqualTo(s.to().minus(range.length()));
        }
    }

    @Test
    void theFirstSampleIsTakenAtTheNextMinuteAndCountsEverythingSinceStart() {
        engine.submitted = 5;
        engine.jobs.put(JobState.RUNNING, 2L);
        passAt(minute(1).minusSeconds(1));
        assertThat(history.samples()).isEmpty();

        passAt(minute(1));

        MetricsSample s = history.samples().get(0);
        assertThat(s.at()).isEqualTo(minute(1));
        assertThat(s.submitted()).isEqualTo(5);
        assertThat(s.jobsByState()).containsEntry(JobState.RUNNING, 2L).containsEntry(JobState.PENDING, 0L).hasSize(6);
        assertThat(s.providers()).isEqualTo(Map.of(ProviderStatus.ONLINE, 2L, ProviderStatus.DEGRADED, 0L,
                ProviderStatus.OFFLINE, 0L));
        assertThat(s.failoversByReason()).isEmpty();
        assertThat(s.deliveries()).isEqualTo(DeliveryCounts.NONE);
    }

    @Test
    void aPassWithinTheSameMinuteTakesNoSecondSample() {
        passAt(minute(1));
        passAt(minute(1).plusSeconds(50));
        passAt(minute(2));

        assertThat(history.samples()).extracting(MetricsSample::at).containsExactly(minute(1), minute(2));
    }

    @Test
    void countersAreDeltasPerSampleAndPerStepWhileGaugesAreTheLastValueOfTheStep() {
        // one job submitted and one failover a minute; provider b goes offline at minute 20
        for (int m = 1; m <= 40; m++) {
            engine.submitted++;
            engine.failovers.merge(m % 2 == 0 ? ReasonCode.PROVIDER_OFFLINE : ReasonCode.STUCK_PENDING, 1L, Long::sum);
            engine.jobs.put(JobState.SUCCEEDED, (long) m);
            if (m == 20) {
                providers.set(1, ProviderStatus.OFFLINE);
            }
            passAt(minute(m));
        }
        assertThat(history.samples()).hasSize(40).allSatisfy(s -> {
            assertThat(s.submitted()).isEqualTo(1);
            assertThat(s.failovers()).isEqualTo(1);
        });

        MetricsSeries hour = history.series(HistoryRange.HOUR);
        assertThat(hour.to()).isEqualTo(minute(41));
        assertThat(hour.points()).hasSize(40);
        assertThat(hour.points().get(1).failoversByReason()).containsExactlyEntriesOf(Map.of(ReasonCode.PROVIDER_OFFLINE, 1L));

        MetricsSeries day = history.series(HistoryRange.DAY);
        assertThat(day.step()).isEqualTo(Duration.ofMinutes(15));
        assertThat(day.points()).extracting(MetricsSample::at).containsExactly(minute(15), minute(30), minute(45));
        assertThat(day.points()).extracting(MetricsSample::submitted).containsExactly(15L, 15L, 10L);
        assertThat(day.points().get(0).failoversByReason())
                .isEqualTo(Map.of(ReasonCode.PROVIDER_OFFLINE, 7L, ReasonCode.STUCK_PENDING, 8L));
        assertThat(day.points()).extracting(p -> p.jobsByState().get(JobState.SUCCEEDED)).containsExactly(15L, 30L, 40L);
        assertThat(day.points()).extracting(p -> p.providers().get(ProviderStatus.OFFLINE)).containsExactly(0L, 1L, 1L);

        MetricsSeries week = history.series(HistoryRange.WEEK);
        assertThat(week.points()).singleElement().satisfies(p -> {
            assertThat(p.at()).isEqualTo(minute(60));
            assertThat(p.submitted()).isEqualTo(40);
            assertThat(p.failovers()).isEqualTo(40);
        });
    }

    @Test
    void aRangeLeavesOutSamplesOlderThanItsStart() {
        passAt(minute(1));
        engine.submitted = 3;
        passAt(minute(90));

        MetricsSeries hour = history.series(HistoryRange.HOUR);

        assertThat(hour.from()).isEqualTo(minute(31));
        assertThat(hour.points()).extracting(MetricsSample::at).containsExactly(minute(90));
        assertThat(history.series(HistoryRange.DAY).points()).extracting(MetricsSample::at).containsExactly(minute(15),
                minute(90));
    }

    @Test
    void afterAGapTheNextSampleHoldsEverythingThatHappenedMeanwhile() {
        passAt(minute(1));
        engine.succeeded = 7;
        engine.cancelled = 2;

        passAt(minute(11).plusSeconds(20));

        assertThat(history.samples()).extracting(MetricsSample::at).containsExactly(minute(1), minute(11));
        assertThat(history.samples().get(1)).satisfies(s -> {
            assertThat(s.succeeded()).isEqualTo(7);
            assertThat(s.cancelled()).isEqualTo(2);
        });
    }

    @Test
    void sevenDaysOfMinutesAreKeptAndOlderSamplesDrop() {
        int week = MetricsHistory.DEFAULT_CAPACITY;
        assertThat(week).isEqualTo(7 * 24 * 60);
        for (int m = 1; m <= week + 30; m++) {
            engine.submitted++;
            passAt(minute(m));
        }

        List<MetricsSample> samples = history.samples();
        assertThat(samples).hasSize(week);
        assertThat(samples.get(0).at()).isEqualTo(minute(31));
        assertThat(samples.get(week - 1).at()).isEqualTo(minute(week + 30));

        MetricsSeries series = history.series(HistoryRange.WEEK);
        assertThat(series.points()).hasSizeLessThanOrEqualTo(HistoryRange.WEEK.maxPoints());
        assertThat(series.points().get(0).at()).isAfter(series.from());
        assertThat(series.points().stream().mapToLong(MetricsSample::submitted).sum()).isLessThanOrEqualTo(week);
        assertThat(series.points()).hasSize(168);
        // the step under way has no sample yet: the last minute of the hour, the last quarter of the day
        assertThat(history.series(HistoryRange.DAY).points()).hasSize(95);
        assertThat(history.series(HistoryRange.HOUR).points()).hasSize(59);
    }

    @Test
    void deliverySourcesAddWhatTheyGrewBySinceTheSampleBefore() throws Exception {
        AtomicLong okA = new AtomicLong(100); // counted before it was added: not part of the history
        AtomicLong failedA = new AtomicLong();
        AtomicLong okB = new AtomicLong();
        AutoCloseable a = history.addDeliverySource(() -> new DeliveryCounts(okA.get(), failedA.get()));
        AutoCloseable b = history.addDeliverySource(() -> new DeliveryCounts(okB.get(), 0));

        okA.addAndGet(4);
        failedA.addAndGet(2);
        okB.addAndGet(1);
        passAt(minute(1));
        okB.addAndGet(3);
        b.close();               // its 3 since the last sample still count
        okB.addAndGet(50);       // but nothing after it was removed
        okA.set(1);              // a source that restarted counts from zero
        passAt(minute(2));
        a.close();
        a.close();
        passAt(minute(3));

        assertThat(history.samples()).extracting(MetricsSample::deliveries).containsExactly(new DeliveryCounts(5, 2),
                new DeliveryCounts(4, 0), DeliveryCounts.NONE);
    }

    @Test
    void aFailingDeliverySourceIsLeftOutOfTheSampleButDoesNotStopIt() {
        AtomicBoolean gone = new AtomicBoolean();
        history.addDeliverySource(() -> {
            if (gone.get()) {
                throw new IllegalStateException("dispatcher gone");
            }
            return DeliveryCounts.NONE;
        });
        gone.set(true);
        engine.submitted = 1;

        passAt(minute(1));

        assertThat(history.samples()).singleElement().extracting(MetricsSample::submitted).isEqualTo(1L);
    }

    @Test
    void capacityAndIntervalAreValidated() {
        assertThatThrownBy(() -> recorder(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metrics samples must be at least 1, got 0");
        history = recorder(3);
        for (int m = 1; m <= 5; m++) {
            passAt(minute(m));
        }
        assertThat(history.samples()).extracting(MetricsSample::at).containsExactly(minute(3), minute(4), minute(5));
        assertThat(history.capacity()).isEqualTo(3);
        assertThat(history.interval()).isEqualTo(Duration.ofMinutes(1));
    }
}
