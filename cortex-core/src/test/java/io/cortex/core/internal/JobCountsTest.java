package io.cortex.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.JobState;
import io.cortex.core.store.InMemoryJobStore;
import io.cortex.core.store.JobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The six cortex.jobs gauges share one count of the store; a store that queries a database is asked at most once a second. */
class JobCountsTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicInteger reads = new AtomicInteger();
    private final Map<JobState, Long> answer = new EnumMap<>(Map.of(JobState.PENDING, 3L, JobState.RUNNING, 2L));
    private RuntimeException failure;

    /** A store whose countByState is counted, answers {@link #answer} or throws {@link #failure}. */
    private JobStore countingStore() {
        JobStore real = new InMemoryJobStore(10, Duration.ofHours(1), Clock.systemUTC());
        return (JobStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {JobStore.class}, (p, m, args) -> {
            if (m.getName().equals("countByState")) {
                reads.incrementAndGet();
                if (failure != null) {
                    throw failure;
                }
                return new EnumMap<>(answer);
            }
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @Test
    void aQueryingStoreIsCountedOncePerSecondForAllSixGauges() {
        MicrometerBinder.JobCounts counts = new MicrometerBinder.JobCounts(countingStore(), true, nanos::get);

        assertThat(counts.of(JobState.PENDING)).isEqualTo(3);
        assertThat(counts.of(JobState.RUNNING)).isEqualTo(2);
        assertThat(counts.of(JobState.FAILED)).as("a state the store did not list").isZero();
        assertThat(reads).hasValue(1);

        answer.put(JobState.PENDING, 7L);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertThat(counts.of(JobState.PENDING)).as("still within the second").isEqualTo(3);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
        assertThat(counts.of(JobState.PENDING)).isEqualTo(7);
        assertThat(reads).hasValue(2);
    }

    @Test
    void theInMemoryStoreIsCountedAtEveryRead() {
        MicrometerBinder.JobCounts counts = new MicrometerBinder.JobCounts(countingStore(), false, nanos::get);
        counts.of(JobState.PENDING);
        answer.put(JobState.PENDING, 9L);
        assertThat(counts.of(JobState.PENDING)).isEqualTo(9);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aStoreThatCannotCountGivesNaNAndIsAskedAgainAtTheNextRead() {
        MicrometerBinder.JobCounts counts = new MicrometerBinder.JobCounts(countingStore(), true, nanos::get);
        failure = new IllegalStateException("connection refused");
        assertThat(counts.of(JobState.PENDING)).isNaN();

        failure = null;
        assertThat(counts.of(JobState.PENDING)).as("no stale failure kept").isEqualTo(3);
        assertThat(reads).hasValue(2);
    }
}
