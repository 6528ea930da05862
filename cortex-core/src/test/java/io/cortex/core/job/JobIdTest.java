package io.cortex.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"job_1", "job_a", "job_Z", "job__", "job_-", "job_01hx3k9q2m4f", "job_A-b_C-9"})
    void acceptsJobPrefixAndOneToSixtyFourAllowedCharacters(String value) {
        assertThat(JobId.of(value).value()).isEqualTo(value);
    }

    @Test
    void acceptsExactlySixtyFourCharactersAfterThePrefix() {
        String longest = "job_" + "x".repeat(64);

        assertThat(JobId.of(longest)).hasToString(longest);
        assertThatIllegalArgumentException().isThrownBy(() -> JobId.of(longest + "x")).withMessageContaining(longest + "x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "job_", "job", "JOB_1", "Job_1", "jobs_1", "1", "job-1", "job_a b", "job_a.b", "job_ä",
            " job_1", "job_1 ", "job_1/2"})
    void refusesAnythingElseNamingTheValueAndTheRule(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> JobId.of(value))
                .withMessageContaining("jobId '" + value + "'")
                .withMessageContaining("'job_' followed by 1 to 64 of [A-Za-z0-9_-]");
    }

    @Test
    void refusesNull() {
        assertThatNullPointerException().isThrownBy(() -> JobId.of(null)).withMessage("jobId cannot be null");
    }

    @Test
    void equalityHashCodeOrderAndTextFollowTheValue() {
        JobId a = JobId.of("job_a");

        assertThat(a).isEqualTo(JobId.of("job_a")).hasSameHashCodeAs(JobId.of("job_a")).hasToString("job_a");
        assertThat(a).isNotEqualTo(JobId.of("job_A")).isNotEqualTo("job_a");
        assertThat(a).isLessThan(JobId.of("job_b"));
    }

    @Test
    void idsMadeInSequenceHaveDistinctHashesThatTheirParsedTextShares() {
        // hash maps of many jobs (the in-memory store) rely on it: no two of a run of ids in one bucket chain
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 30_000; i++) {
            JobId id = JobId.next(1_767_225_600_000L);
            assertThat(JobId.of(id.value()).hashCode()).isEqualTo(id.hashCode());
            hashes.add(id.hashCode());
        }
        assertThat(hashes).hasSize(30_000);
        // short and hand-written ids hash too, and equal texts equally
        assertThat(JobId.of("job_x").hashCode()).isEqualTo(JobId.of("job_x").hashCode()).isNotEqualTo(JobId.of("job_y").hashCode());
        assertThat(JobId.of("job_Build-42_").hashCode()).isEqualTo(JobId.of("job_Build-42_").hashCode());
    }

    @Test
    void nextIdsAreValidIds() {
        JobId id = JobId.next(1_767_225_600_000L);

        assertThat(JobId.of(id.value())).isEqualTo(id);
    }

    @Test
    void nextIdsFromOneThreadSortInCreationOrderAsMillisIncrease() {
        long[] millis = {0, 1, 2, 31, 32, 33, 1023, 1024, 1_700_000_000_000L, 1_700_000_000_001L, 1_767_225_600_000L,
                1_767_225_600_000L, 1_767_225_600_001L, 4_102_444_800_000L};
        List<JobId> ids = new ArrayList<>();

        for (long m : millis) {
            ids.add(JobId.next(m));
        }

        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void nextIdsFromOneThreadInOneMillisecondSortInCreationOrderAcrossSequenceBlocks() {
        List<JobId> ids = new ArrayList<>();

        for (int i = 0; i < 2_000; i++) { // several of a thread's blocks of sequence numbers
            ids.add(JobId.next(1_767_225_600_000L));
        }

        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void nextIsUniqueAcrossOneHundredThousandIdsFromFourThreads() throws Exception {
        int threads = 4;
        int perThread = 25_000;
        long millis = 1_767_225_600_000L; // every thread in the same millisecond: only the sequence can separate them
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<JobId>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<JobId>> task = () -> {
                    go.await();
                    List<JobId> mine = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        mine.add(JobId.next(millis));
                    }
                    return mine;
                };
                results.add(pool.submit(task));
            }
            go.countDown();

            Set<JobId> all = new HashSet<>();
            for (Future<List<JobId>> f : results) {
                List<JobId> mine = f.get(60, TimeUnit.SECONDS);
                assertThat(mine).hasSize(perThread).isSorted();
                all.addAll(mine);
            }

            assertThat(all).hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
