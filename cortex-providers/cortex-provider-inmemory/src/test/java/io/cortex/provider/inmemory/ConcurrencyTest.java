package io.cortex.provider.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cortex.core.Cortex;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine with its own threads and the real clock, hammered by eight threads that submit, cancel
 * and resubmit about 2,000 jobs while the scheduler places, polls and fails them over.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int JOBS_PER_THREAD = 250;

    /** Every job event a listener received, per job, in delivery order. */
    private final Map<JobId, List<Long>> delivered = new ConcurrentHashMap<>();
    private final Queue<String> outOfOrder = new ConcurrentLinkedQueue<>();

    private void record(CortexEvent e) {
        if (e.job() == null) {
            return;
        }
        JobEvent je = e.job().event();
        List<Long> versions = delivered.computeIfAbsent(je.jobId(), k -> Collections.synchronizedList(new ArrayList<>()));
        if (!versions.isEmpty() && versions.get(versions.size() - 1) + 1 != je.version()) {
            outOfOrder.add(je.jobId() + ": v" + je.version() + " after " + versions);
        }
        versions.add(je.version());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentSubmitCancelAndResubmitLoseNoUpdateAndMoveNoJobTwice() throws Exception {
        Clock clock = Clock.systemUTC();
        InMemoryProvider slow = InMemoryProvider.builder("slow").clock(clock).runFor(Duration.ofMillis(5)).build();
        InMemoryProvider fast = InMemoryProvider.builder("fast").clock(clock).build();
        slow.onImage("acme/fails", Outcome.exit(1, "always fails"));
        fast.onImage("acme/fails", Outcome.exit(1, "always fails"));
        slow.onImage("acme/stuck", Outcome.hang());
        fast.onImage("acme/lost", Outcome.lose("evicted"));

        try (Cortex cortex = Cortex.builder().provider(slow).provider(fast)
                .tickInterval(Duration.ofMillis(5)).pollInterval(Duration.ofMillis(5))
                .healthCheckInterval(Duration.ofMillis(100)).pendingTimeout(Duration.ofMillis(50))
                .listener(this::record).build()) {

            Queue<JobId> submitted = new ConcurrentLinkedQueue<>();
            Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            String[] images = {"acme/app:1", "acme/app:2", "acme/fails:1", "acme/stuck:1", "acme/lost:1"};
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    List<JobId> mine = new ArrayList<>();
                    for (int i = 0; i < JOBS_PER_THREAD; i++) {
                        try {
                            JobSpec.Builder spec = JobSpec.builder().image(images[random.nextInt(images.length)])
                                    .maxAttempts(1 + random.nextInt(3)).label("thread", Integer.toString(i % THREADS));
                            if (random.nextBoolean()) {
                                spec.preferProviders(random.nextBoolean() ? "slow" : "fast");
                            }
                            JobId id = cortex.submit(spec.build()).id();
                            submitted.add(id);
                            mine.add(id);
                            JobId other = mine.get(random.nextInt(mine.size()));
                            int op = random.nextInt(10);
                            if (op < 3) {
                                cortex.cancel(other);
                            } else if (op < 6) {
                                cortex.resubmit(other, random.nextBoolean() ? null : ProviderId.of(random.nextBoolean() ? "slow" : "fast"));
                            }
                        } catch (IllegalStateException expected) {
                            // cancelling a finished job, resubmitting a running or finished one
                            refused.incrementAndGet();
                        } catch (Throwable e) {
                            unexpected.add(e);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertThat(unexpected).isEmpty();
            assertThat(submitted).hasSize(THREADS * JOBS_PER_THREAD).doesNotHaveDuplicates();
            assertThat(refused.get()).isPositive();

            // every job ends: the scheduler finishes what the threads left running
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> submitted.stream().allMatch(id -> cortex.job(id).state().isFinished()));
            // and the listener sees every event of every job
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> submitted.stream()
                    .allMatch(id -> delivered.getOrDefault(id, List.of()).size() == cortex.job(id).version()));

            for (JobId id : submitted) {
                Job job = cortex.job(id);
                List<JobEvent> history = cortex.events(id);
                assertThat(job.state().isFinished()).as("%s is finished", job).isTrue();
                // versions 1..n, consecutive, the last one the job's
                assertThat(history).extracting(JobEvent::version).as("versions of %s", id)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, job.version()).boxed().toList());
                // each event starts where the last one ended, and moves only along the table
                JobState at = null;
                for (JobEvent e : history) {
                    assertThat(e.from()).as("event %d of %s starts where the last one ended", e.version(), id).isEqualTo(at);
                    if (e.isTransition()) {
                        assertThat(JobState.isAllowed(e.from(), e.to())).as("%s -> %s allowed for %s", e.from(), e.to(), id).isTrue();
                    }
                    at = e.to();
                }
                assertThat(at).as("last event of %s matches its state", id).isEqualTo(job.state());
                assertThat(job.openAttempt()).as("%s has no open attempt", id).isEmpty();
                // delivered completely, in version order
                assertThat(delivered.get(id)).as("events delivered for %s", id)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, job.version()).boxed().toList());
            }
            assertThat(outOfOrder).isEmpty();
            assertThat(cortex.metrics().submitted()).isEqualTo(THREADS * JOBS_PER_THREAD);
            Map<JobState, Long> byState = cortex.metrics().jobsByState();
            assertThat(byState.get(JobState.SUCCEEDED) + byState.get(JobState.FAILED) + byState.get(JobState.CANCELLED))
                    .isEqualTo(THREADS * JOBS_PER_THREAD);
            // nothing left counted on a provider, nothing left running there
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                assertThat(cortex.providers()).extracting(ProviderInfo::jobsInFlight).containsOnly(0);
                assertThat(slow.activeJobs()).isZero();
                assertThat(fast.activeJobs()).isZero();
            });
        }
    }
}
