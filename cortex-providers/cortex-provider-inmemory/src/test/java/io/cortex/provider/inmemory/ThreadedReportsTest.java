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
import io.cortex.core.provider.ProviderJobRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * With its own threads, the engine applies the status a provider pushes on its event thread rather than on
 * the thread that called the provider: a job that finishes inside the provider's {@code submit} still
 * reaches SUCCEEDED with its handle recorded, its history as short as when driven by hand, and no report is
 * lost when the event thread is stopped or the engine closes.
 */
class ThreadedReportsTest {
    private static final JobSpec SPEC = JobSpec.builder().image("acme/app:1").build();

    @Test
    void aJobFinishedInsideSubmitSucceedsWithItsHandleAndTheSameHistoryAsInManualMode() {
        InMemoryProvider provider = InMemoryProvider.builder("cloud").build();
        try (Cortex cortex = Cortex.builder().provider(provider).build()) {
            JobId id = cortex.submit(SPEC).id();

            await().atMost(Duration.ofSeconds(10)).until(() -> cortex.job(id).state() == JobState.SUCCEEDED);
            Job job = cortex.job(id);
            assertThat(job.attempts()).singleElement().satisfies(a -> assertThat(a.ref()).isNotNull()
                    .extracting(ProviderJobRef::value).asString().startsWith("cloud-"));
            assertThat(provider.submissions()).isEqualTo(1);
            assertThat(cortex.events(id)).extracting(JobEvent::to)
                    .containsExactly(JobState.PENDING, JobState.ASSIGNED, JobState.RUNNING, JobState.SUCCEEDED);
        }
    }

    @Test
    void withTheEventDispatcherStoppedReportsAreAppliedOnTheCallingThreadAndEventsWaitForItsRestart() {
        InMemoryProvider provider = InMemoryProvider.builder("cloud").build();
        List<CortexEvent> seen = new CopyOnWriteArrayList<>();
        try (Cortex cortex = Cortex.builder().provider(provider).listener(seen::add).build()) {
            cortex.stopService(Cortex.EVENT_DISPATCHER);

            Job job = cortex.submit(SPEC);

            // Then the job finished during submit, on this thread: nothing strands it while no event thread runs
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(seen).isEmpty();

            cortex.restartService(Cortex.EVENT_DISPATCHER);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream()
                    .anyMatch(e -> e.job() != null && e.job().event().to() == JobState.SUCCEEDED));
        }
    }

    @Test
    void closingTheEngineAppliesEveryReportHandedOverBeforeIt() {
        InMemoryProvider provider = InMemoryProvider.builder("cloud").build();
        List<JobId> ids = new ArrayList<>();
        Cortex cortex = Cortex.builder().provider(provider).build();
        for (int i = 0; i < 2_000; i++) {
            ids.add(cortex.submit(SPEC).id());
        }

        cortex.close();

        assertThat(ids).allSatisfy(id -> assertThat(cortex.job(id).state()).isEqualTo(JobState.SUCCEEDED));
    }
}
