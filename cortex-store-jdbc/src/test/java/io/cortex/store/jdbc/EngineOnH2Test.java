package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.store.JobQuery;
import io.cortex.provider.inmemory.InMemoryProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on an H2 file with the in-memory provider, driven by hand: jobs run, events flow, a restart loses nothing. */
class EngineOnH2Test {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final List<CortexEvent> delivered = new CopyOnWriteArrayList<>();

    private JdbcJobStore store() {
        return JdbcJobStore.builder().h2File(dir.resolve("cortex")).build();
    }

    private Cortex engine(JdbcJobStore store, InMemoryProvider provider) {
        return Cortex.builder().clock(clock).manual().pollInterval(Duration.ofSeconds(1)).store(store).listener(delivered::add)
                .provider(provider).build();
    }

    private InMemoryProvider provider() {
        return InMemoryProvider.builder("mem").clock(clock).startAfter(Duration.ofSeconds(1)).runFor(Duration.ofSeconds(2)).build();
    }

    @Test
    void jobsRunToTheEndAndTheirHistoryAndStateSurviveARestart() {
        List<JobId> ids = new ArrayList<>();
        List<Integer> events = new ArrayList<>();
        try (Cortex cortex = engine(store(), provider())) {
            for (int i = 0; i < 5; i++) {
                ids.add(cortex.submit(JobSpec.builder().image("acme/app:1").label("batch", "b1").build()).id());
            }
            for (int i = 0; i < 10; i++) {
                clock.advance(Duration.ofSeconds(1));
                cortex.tick();
            }
            assertThat(cortex.jobs(JobQuery.all().withLabel("batch", "b1")).items()).hasSize(5)
                    .allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
            for (JobId id : ids) {
                List<JobEvent> history = cortex.events(id);
                events.add(history.size());
                assertThat(delivered).extracting(CortexEvent::id).containsAll(
                        history.stream().map(e -> "evt_" + id.value().substring(4) + "_" + e.version()).toList());
            }
            assertThat(cortex.store().outboxSize()).isZero();
        }

        try (Cortex again = engine(store(), provider())) {
            for (int i = 0; i < ids.size(); i++) {
                Job job = again.job(ids.get(i));
                assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
                assertThat(again.events(job.id())).hasSize(events.get(i));
            }
        }
    }

    @Test
    void anEngineStartedOnTheFileDeliversAndRunsWhatThePreviousProcessLeft() {
        List<JobId> left = new ArrayList<>();
        try (JdbcJobStore previous = store()) { // a process stored jobs, then stopped before delivering or placing them
            for (int i = 0; i < 3; i++) {
                Job.Change c = Job.create(JobId.next(clock.millis()), JobSpec.builder().image("acme/app:1").build(), clock.instant());
                previous.insert(c.job(), c.event());
                left.add(c.job().id());
            }
        }

        try (Cortex cortex = engine(store(), provider())) {
            cortex.tick();
            assertThat(delivered).extracting(CortexEvent::id).containsAll(
                    left.stream().map(id -> "evt_" + id.value().substring(4) + "_1").toList());
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofSeconds(1));
                cortex.tick();
            }
            assertThat(left).allSatisfy(id -> assertThat(cortex.job(id).state()).isEqualTo(JobState.SUCCEEDED));
        }
    }
}
