package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.ASSIGNED;
import static io.cortex.core.job.JobState.FAILED;
import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.RUNNING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.PROVIDER_OFFLINE;
import static io.cortex.core.provider.ProviderStatus.DEGRADED;
import static io.cortex.core.provider.ProviderStatus.OFFLINE;
import static io.cortex.core.provider.ProviderStatus.ONLINE;
import static io.cortex.provider.inmemory.EngineFixture.id;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.provider.ProviderStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderHealthTest {
    private static final Duration CHECK = Duration.ofSeconds(30);
    private EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private ProviderStatus status(String provider) {
        return fx.cortex().provider(id(provider)).status();
    }

    @Test
    void oneFailedHealthCheckDoesNotFlapTheProvider() {
        fx.cortex();
        fx.advance(CHECK);                       // a good periodic round first
        fx.a().goOffline();
        fx.advance(CHECK);                       // one blip
        assertThat(status("a")).isEqualTo(ONLINE);
        assertThat(fx.cortex().provider(id("a")).consecutiveFailures()).isEqualTo(1);

        fx.a().goOnline();
        fx.advance(CHECK);
        assertThat(status("a")).isEqualTo(ONLINE);
        assertThat(fx.providerEvents(EventTypes.PROVIDER_STATUS_CHANGED, "a")).isEmpty();
    }

    @Test
    void firstPeriodicHealthCheckAfterStartDoesNotFlapTheProvider() {
        // regression: the engine's start-up check did not count as an observation, so the first periodic
        // check after start applied at once, whatever the threshold
        fx.cortex();
        fx.a().goOffline();
        fx.advance(CHECK);
        assertThat(status("a")).isEqualTo(ONLINE);
        assertThat(fx.cortex().provider(id("a")).lastCheck()).isNotNull();

        fx.a().goOnline();
        fx.advance(CHECK);
        assertThat(status("a")).isEqualTo(ONLINE);
        assertThat(fx.providerEvents(EventTypes.PROVIDER_STATUS_CHANGED, "a")).isEmpty();
    }

    @Test
    void providerOfflineForTwoChecksMovesItsAssignedJobToAnotherProvider() {
        // Given a job waiting on a to start
        fx.a().startAfter(Duration.ofMinutes(10));
        Job job = fx.aJob();
        assertThat(job).isIn(ASSIGNED).isOn("a");

        // When a stops answering for one check, nothing moves
        fx.a().goOffline();
        fx.advance(CHECK);
        assertThat(status("a")).isEqualTo(ONLINE);
        assertThat(fx.reload(job)).isIn(ASSIGNED).isOn("a");

        // Then the second failed check takes a offline and the job runs on b
        fx.advance(CHECK);
        assertThat(status("a")).isEqualTo(OFFLINE);
        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(2).endedAttemptWith(1, PROVIDER_OFFLINE)
                .ranAttemptOn(2, "b").hasAttemptsUsed(1);
        assertThat(fx.providerEvents(EventTypes.PROVIDER_STATUS_CHANGED, "a"))
                .extracting(ProviderChange::from, ProviderChange::to, ProviderChange::reason)
                .containsExactly(tuple(ONLINE, OFFLINE, PROVIDER_OFFLINE));
        assertThat(fx.log("provider-monitor", "a", null)).extracting(OperatorLogRecord::level, OperatorLogRecord::reason)
                .contains(tuple(OperatorLogRecord.Level.WARN, PROVIDER_OFFLINE.name()));
        JobEvent moved = fx.history(job).stream().filter(e -> e.reason() == PROVIDER_OFFLINE).findFirst().orElseThrow();
        assertThat(moved.from()).isEqualTo(ASSIGNED);
        assertThat(moved.message()).contains("went offline").contains("ASSIGNED");
    }

    @Test
    void runningJobOnAProviderThatGoesOfflineRerunsElsewhere() {
        fx.a().defaultOutcome(Outcome.hangRunning());
        Job job = fx.aJob();
        assertThat(job).isIn(RUNNING).isOn("a");

        fx.a().goOffline();
        fx.advance(CHECK).advance(CHECK);

        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(2).endedAttemptWith(1, PROVIDER_OFFLINE).ranAttemptOn(2, "b");
        assertThat(fx.history(job)).extracting(JobEvent::from, JobEvent::to, JobEvent::reason)
                .contains(tuple(RUNNING, PENDING, PROVIDER_OFFLINE));
    }

    @Test
    void runningJobWithoutRerunFailsWhenItsProviderGoesOffline() {
        // regression: a RUNNING job that may not rerun was sent to another provider when its provider went offline
        fx.a().defaultOutcome(Outcome.hangRunning());
        Job job = fx.submit(EngineFixture.spec().rerunOnProviderLoss(false));
        assertThat(job).isIn(RUNNING).isOn("a");

        fx.a().goOffline();
        fx.advance(CHECK).advance(CHECK);

        assertThat(fx.reload(job)).isIn(FAILED).hasReason(PROVIDER_OFFLINE).hasAttempts(1).hasMessageContaining("went offline");
        assertThat(fx.b().submissions()).isZero();
        assertThat(fx.cortex().provider(id("a")).jobsInFlight()).isZero();
    }

    @Test
    void assignedJobWithoutRerunStillMovesWhenItsProviderGoesOffline() {
        fx.a().startAfter(Duration.ofMinutes(10));
        Job job = fx.submit(EngineFixture.spec().rerunOnProviderLoss(false));

        fx.a().goOffline();
        fx.advance(CHECK).advance(CHECK);

        assertThat(fx.reload(job)).isIn(SUCCEEDED).ranAttemptOn(2, "b");
    }

    @Test
    void healthThresholdIsConfigurable() {
        fx = new EngineFixture().engine(b -> b.healthThreshold(1));
        fx.cortex();
        fx.a().goOffline();
        fx.advance(CHECK);
        assertThat(status("a")).isEqualTo(OFFLINE);

        fx.close();
        fx = new EngineFixture().engine(b -> b.healthThreshold(3));
        fx.cortex();
        fx.a().goOffline();
        fx.advance(CHECK).advance(CHECK);
        assertThat(status("a")).isEqualTo(ONLINE);
        fx.advance(CHECK);
        assertThat(status("a")).isEqualTo(OFFLINE);
    }

    @Test
    void offlineProviderIsNeverChosen() {
        fx.a().goOffline();                       // offline from the start-up check
        assertThat(status("a")).isEqualTo(OFFLINE);

        for (int i = 0; i < 5; i++) {
            assertThat(fx.aJob()).isIn(SUCCEEDED).ranAttemptOn(1, "b");
        }
        assertThat(fx.a().submissions()).isZero();
    }

    @Test
    void providerBackOnlineAfterConsecutiveGoodChecksGetsThePendingJobs() {
        // Given the only provider is offline and a job waits for it
        fx = EngineFixture.withProviders("a");
        fx.a().goOffline();
        Job job = fx.aJob();
        assertThat(job).isIn(PENDING).hasReason(PROVIDER_OFFLINE);
        assertThat(fx.history(job).get(fx.history(job).size() - 1).placement())
                .extracting(PlacementNote::provider, PlacementNote::reason).containsExactly(tuple(id("a"), PROVIDER_OFFLINE));

        // When it answers again, one good check is not enough
        fx.a().goOnline();
        fx.advance(CHECK);
        assertThat(status("a")).isEqualTo(OFFLINE);
        assertThat(fx.reload(job)).isIn(PENDING);

        // Then the second good check brings it back and the job is placed
        fx.advance(CHECK);
        assertThat(status("a")).isEqualTo(ONLINE);
        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(1);
        assertThat(fx.providerEvents(EventTypes.PROVIDER_STATUS_CHANGED, "a")).extracting(ProviderChange::from, ProviderChange::to)
                .containsExactly(tuple(ONLINE, OFFLINE), tuple(OFFLINE, ONLINE));
        assertThat(fx.history(job).stream().filter(e -> e.type() == JobEvent.Type.WAITING)).hasSize(1);
    }

    @Test
    void degradedProviderIsUsedOnlyWhenNoOnlineProviderFits() {
        // Given a (first by id at the same price) reports trouble for two checks
        fx.cortex();
        fx.a().degrade("slow disks");
        fx.advance(CHECK).advance(CHECK);
        assertThat(status("a")).isEqualTo(DEGRADED);
        assertThat(fx.providerEvents(EventTypes.PROVIDER_STATUS_CHANGED, "a")).extracting(ProviderChange::to, ProviderChange::reason)
                .containsExactly(tuple(DEGRADED, ReasonCode.PROVIDER_DEGRADED));

        // When a job may use both, it goes to the ONLINE one
        assertThat(fx.aJob()).isIn(SUCCEEDED).ranAttemptOn(1, "b");

        // Then a job that cannot use b goes to the DEGRADED one, with a note saying so
        Job onlyA = fx.submit(EngineFixture.spec().denyProviders("b"));
        assertThat(onlyA).isIn(SUCCEEDED).ranAttemptOn(1, "a");
        JobEvent placed = fx.history(onlyA).stream().filter(e -> e.to() == ASSIGNED).findFirst().orElseThrow();
        assertThat(placed.placement()).extracting(PlacementNote::provider, PlacementNote::reason)
                .contains(tuple(id("a"), ReasonCode.PROVIDER_DEGRADED), tuple(id("a"), ReasonCode.PLACED));

        // and when b goes offline, a takes everything
        fx.b().goOffline();
        fx.advance(CHECK).advance(CHECK);
        assertThat(fx.aJob()).isIn(SUCCEEDED).ranAttemptOn(1, "a");
    }
}
