package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.IMAGE_NOT_FOUND;
import static io.cortex.core.job.ReasonCode.IMAGE_REJECTED;
import static io.cortex.core.job.ReasonCode.JOB_FAILED;
import static io.cortex.core.job.ReasonCode.PROVIDER_REJECTED;
import static io.cortex.core.job.ReasonCode.RESOURCES_EXCEED_CAPABILITIES;
import static io.cortex.provider.inmemory.EngineFixture.id;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cortex.core.diagnostics.Diagnosis;
import io.cortex.core.diagnostics.Finding;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.LogLine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ImmediateFailureTest {
    private EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private JobEvent lastEvent(Job job) {
        List<JobEvent> h = fx.history(job);
        return h.get(h.size() - 1);
    }

    @Test
    void resourcesExceedingEveryProviderFailTheJobAtOnceWithANotePerProvider() {
        // Given a offers at most 4 cores, b the default 16 (64Gi, 1Ti)
        fx = new EngineFixture().provider("a", p -> p.capabilities(io.cortex.core.provider.ProviderCapabilities.of(4000, "8Gi", "100Gi")));

        // When a job asks for 64 cores and 2Ti of memory
        Job job = fx.submit(EngineFixture.spec().resources(64_000, "2Ti", "10Gi"));

        // Then it fails inside submit, naming the figures for each provider
        assertThat(job).isIn(FAILED).hasReason(RESOURCES_EXCEED_CAPABILITIES).hasAttempts(0)
                .hasMessageContaining("no provider can ever run this job");
        assertThat(lastEvent(job).placement()).extracting(PlacementNote::provider, PlacementNote::reason, PlacementNote::detail)
                .containsExactly(
                        tuple(id("a"), RESOURCES_EXCEED_CAPABILITIES, "cpu 64000m exceeds the provider's max 4000m"),
                        tuple(id("b"), RESOURCES_EXCEED_CAPABILITIES, "cpu 64000m exceeds the provider's max 16000m"));
        assertThat(fx.a().submissions() + fx.b().submissions()).isZero();

        Diagnosis d = fx.cortex().diagnose(job.id());
        assertThat(d.primary().orElseThrow().reason()).isEqualTo(RESOURCES_EXCEED_CAPABILITIES);
        assertThat(d.findings()).filteredOn(f -> f.provider() != null)
                .extracting(Finding::provider, Finding::message)
                .contains(tuple("a", "a: memory 2Ti exceeds the provider's max 8Gi"), tuple("b", "b: memory 2Ti exceeds the provider's max 64Gi"));
        assertThat(d.findings()).filteredOn(f -> f.reason() == RESOURCES_EXCEED_CAPABILITIES && f.provider() != null)
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Finding.Severity.BLOCKING));
    }

    @Test
    void jobTooLargeForOneProviderRunsOnTheOther() {
        fx = new EngineFixture().provider("a", p -> p.capabilities(io.cortex.core.provider.ProviderCapabilities.of(4000, "8Gi", "100Gi")));

        Job job = fx.submit(EngineFixture.spec().resources(8000, "16Gi", "10Gi"));

        assertThat(job).isIn(SUCCEEDED).hasAttempts(1).ranAttemptOn(1, "b");
        assertThat(fx.history(job).stream().filter(e -> e.attempt() == 1 && e.from() == io.cortex.core.job.JobState.PENDING)
                .findFirst().orElseThrow().placement())
                .extracting(PlacementNote::provider, PlacementNote::reason)
                .containsExactly(tuple(id("a"), RESOURCES_EXCEED_CAPABILITIES), tuple(id("b"), io.cortex.core.job.ReasonCode.PLACED));
    }

    @Test
    void imageFromARegistryNoProviderAcceptsIsRejectedAtOnce() {
        fx = new EngineFixture().provider("a", p -> p.registries("ghcr.io")).provider("b", p -> p.registries("ghcr.io", "quay.io"));

        Job job = fx.submit(EngineFixture.spec().image("docker.io/acme/app:1"));

        assertThat(job).isIn(FAILED).hasReason(IMAGE_REJECTED).hasMessageContaining("registry docker.io is not one of");
        assertThat(lastEvent(job).placement()).extracting(PlacementNote::reason).containsOnly(IMAGE_REJECTED);
        assertThat(fx.submit(EngineFixture.spec().image("quay.io/acme/app:1"))).isIn(SUCCEEDED).ranAttemptOn(1, "b");
    }

    @Test
    void imageNotFoundFailsTheJobWithoutTryingAnotherProvider() {
        fx.a().onImage("acme/missing", Outcome.fail(IMAGE_NOT_FOUND, "manifest unknown"));
        fx.b().onImage("acme/missing", Outcome.succeed());

        Job job = fx.submit(EngineFixture.spec().image("acme/missing:2").maxAttempts(3));

        assertThat(job).isIn(FAILED).hasReason(IMAGE_NOT_FOUND).hasAttempts(1).endedAttemptWith(1, IMAGE_NOT_FOUND)
                .hasMessageContaining("manifest unknown");
        assertThat(fx.b().submissions()).isZero();
        fx.advance(Duration.ofMinutes(10), Duration.ofMinutes(1));
        assertThat(fx.reload(job)).isIn(FAILED).hasAttempts(1);
        assertThat(fx.cortex().diagnose(job.id()).primary().orElseThrow().suggestedAction()).contains("image");
    }

    @Test
    void imageNotFoundAtSubmitFailsTheJobWithoutTryingAnotherProvider() {
        // regression: a reason thrown by submit was always retried elsewhere, even one that says the job cannot run anywhere
        fx.a().onImage("acme/missing", Outcome.reject(IMAGE_NOT_FOUND, "pull access denied"));

        Job job = fx.submit(EngineFixture.spec().image("acme/missing:2").maxAttempts(3));

        assertThat(job).isIn(FAILED).hasReason(IMAGE_NOT_FOUND).hasAttempts(1).endedAttemptWith(1, IMAGE_NOT_FOUND)
                .hasMessageContaining("pull access denied");
        assertThat(fx.b().submissions()).isZero();
    }

    @Test
    void providerRejectionFailsOverToAnotherProvider() {
        fx.a().defaultOutcome(Outcome.reject(PROVIDER_REJECTED, "account suspended"));

        Job job = fx.aJob();

        assertThat(job).isIn(SUCCEEDED).hasAttempts(2).endedAttemptWith(1, PROVIDER_REJECTED).ranAttemptOn(2, "b").hasAttemptsUsed(2);
        JobEvent rejected = fx.history(job).stream().filter(e -> e.reason() == PROVIDER_REJECTED).findFirst().orElseThrow();
        assertThat(rejected.message()).contains("account suspended");
        assertThat(fx.log("scheduler", "a", job.id())).extracting(r -> r.message()).anyMatch(m -> m.contains("submit failed"));
    }

    @Test
    void nonZeroExitFailsTheJobWithTheExitCodeInTheMessage() {
        fx.a().defaultOutcome(Outcome.exit(3, "report template missing"));

        Job job = fx.aJob();

        assertThat(job).isIn(FAILED).hasReason(JOB_FAILED).hasAttempts(1)
                .hasMessageContaining("with exit code 3").hasMessageContaining("report template missing");
        assertThat(fx.b().submissions()).isZero();
        assertThat(fx.cortex().diagnose(job.id()).primary().orElseThrow().suggestedAction()).isEqualTo("read the job's logs");
    }

    @Test
    void logsAreReadWithACursorIncludingPrintedLines() {
        // Given a job that prints two lines and then fails
        fx.a().defaultOutcome(Outcome.exit(2, "boom").printing("loading templates", "rendering page 1"));
        Job job = fx.aJob();
        assertThat(job).isIn(FAILED);

        // When its log is read two lines at a time
        List<LogLine> first = fx.cortex().logs(job.id(), -1, 2);
        List<LogLine> rest = fx.cortex().logs(job.id(), first.get(first.size() - 1).sequence(), 100);

        // Then the pages follow each other without gaps or repeats
        assertThat(first).extracting(LogLine::sequence, LogLine::text)
                .containsExactly(tuple(0L, "started acme/app:1"), tuple(1L, "loading templates"));
        assertThat(rest).extracting(LogLine::sequence, LogLine::stream, LogLine::text)
                .containsExactly(tuple(2L, "stdout", "rendering page 1"), tuple(3L, "stderr", "finished: failed (boom)"));
        assertThat(fx.cortex().logs(job.id(), 3, 100)).isEmpty();
    }

    @Test
    void jobThatFailedInsideSubmitKeepsItsProviderHandleAndIsNotCancelledThere() {
        // regression: a failure pushed from inside submit closed the attempt before its handle was recorded, so the
        // logs were unreachable and the engine sent a cancel for the finished attempt
        fx.a().defaultOutcome(Outcome.exit(2, "boom"));

        Job job = fx.aJob();

        assertThat(job).isIn(FAILED).hasAttempts(1);
        assertThat(job.attempts().get(0).providerRef()).isPresent();
        assertThat(fx.cortex().logs(job.id(), -1, 10)).isNotEmpty();
        assertThat(fx.a().cancellations()).isZero();
    }

    @Test
    void logsOfAJobNeverPlacedAreEmpty() {
        Job job = fx.submit(EngineFixture.spec().resources(64_000, "1Gi", "1Gi"));
        assertThat(fx.cortex().logs(job.id(), -1, 10)).isEmpty();
    }

    @Test
    void resourcesOfAFailedJobCannotBeChanged() {
        Job job = fx.submit(EngineFixture.spec().resources(64_000, "1Gi", "1Gi"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.cortex().updateResources(job.id(), Resources.of(1000, "1Gi", "1Gi")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FAILED");
    }
}
