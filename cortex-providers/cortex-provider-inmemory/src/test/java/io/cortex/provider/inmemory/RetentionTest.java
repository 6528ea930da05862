package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.NotFoundException;
import io.cortex.core.job.Job;
import io.cortex.core.store.JobQuery;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    private EngineFixture fx = new EngineFixture().engine(b -> b.retention(5, Duration.ofHours(1)));

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void storeKeepsAtMostTheRetainedCountOfFinishedJobs() {
        // Given a job that stays on a provider, then eight short ones
        fx.a().onImage("acme/long", Outcome.hang());
        Job active = fx.submit(EngineFixture.spec().image("acme/long:1"));
        List<Job> finished = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fx.clock.advance(Duration.ofSeconds(1));
            finished.add(fx.aJob());
        }
        assertThat(finished).allSatisfy(j -> assertThat(j).isIn(SUCCEEDED));

        // Then only the five newest finished jobs are kept, and the active one is never dropped
        for (Job gone : finished.subList(0, 3)) {
            assertThat(fx.cortex().findJob(gone.id())).isEmpty();
            assertThatThrownBy(() -> fx.cortex().job(gone.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> fx.cortex().events(gone.id())).isInstanceOf(NotFoundException.class);
        }
        assertThat(fx.cortex().jobs(JobQuery.inStates(SUCCEEDED)).items()).extracting(Job::id)
                .containsExactlyInAnyOrderElementsOf(finished.subList(3, 8).stream().map(Job::id).toList());
        assertThat(fx.reload(active)).isIn(ASSIGNED);
        assertThat(fx.cortex().metrics().jobsByState()).containsEntry(SUCCEEDED, 5L).containsEntry(ASSIGNED, 1L);
        assertThat(fx.cortex().metrics().succeeded()).isEqualTo(8);
    }

    @Test
    void finishedJobsOlderThanTheRetentionAgeAreDroppedAsTheClockAdvances() {
        Job old = fx.aJob();
        fx.advance(Duration.ofMinutes(30));
        Job recent = fx.aJob();

        fx.advance(Duration.ofMinutes(30).plusSeconds(1));

        assertThat(fx.cortex().findJob(old.id())).isEmpty();
        assertThat(fx.cortex().findJob(recent.id())).isPresent();
        assertThat(fx.cortex().jobs(JobQuery.all()).total()).isEqualTo(1);
        assertThat(fx.cortex().metrics().jobsByState()).containsEntry(SUCCEEDED, 1L);

        fx.advance(Duration.ofMinutes(30));
        assertThat(fx.cortex().jobs(JobQuery.all()).total()).isZero();
    }

    @Test
    void aMillionShortJobsRunInASmallHeap(@TempDir Path dir) throws Exception {
        // Given a child JVM with a 64 MB heap
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path out = dir.resolve("out.txt");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), MillionShortJobs.class.getName(), "1000000")
                .redirectErrorStream(true).redirectOutput(out.toFile());

        // When it runs a million zero-delay jobs through an engine retaining 10,000 finished jobs
        Process p = pb.start();
        boolean ended = p.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }

        // Then it ends in time and every job succeeded
        String output = Files.readString(out);
        assertThat(ended).as("the child JVM ended within 3 minutes; output:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("succeeded=1000000 stored=10000 metrics=1000000");
    }
}
