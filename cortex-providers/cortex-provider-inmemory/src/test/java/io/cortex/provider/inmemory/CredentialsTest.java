package io.cortex.provider.inmemory;

import static io.cortex.core.job.JobState.PENDING;
import static io.cortex.core.job.JobState.SUCCEEDED;
import static io.cortex.core.job.ReasonCode.AUTH_FAILED;
import static io.cortex.core.job.ReasonCode.CREDENTIALS_UPDATED;
import static io.cortex.core.provider.ProviderStatus.DEGRADED;
import static io.cortex.core.provider.ProviderStatus.ONLINE;
import static io.cortex.provider.inmemory.EngineFixture.id;
import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.cortex.core.diagnostics.Diagnosis;
import io.cortex.core.diagnostics.Finding;
import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.job.Job;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.log.OperatorLogRecord.Level;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderInfo;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void expiredRefreshableCredentialsAreRefreshedAndTheSubmitRetriedOnce() {
        // Given a's credentials expire after the engine started
        fx.cortex();
        fx.a().expireCredentials();

        // When a job is placed there
        Job job = fx.aJob();

        // Then the engine refreshed them, submitted again and the job ran on a
        assertThat(job).isIn(SUCCEEDED).hasAttempts(1).ranAttemptOn(1, "a");
        assertThat(fx.a().submissions()).isEqualTo(2);
        assertThat(fx.b().submissions()).isZero();
        assertThat(fx.cortex().provider(id("a")).status()).isEqualTo(ONLINE);
        assertThat(fx.log("provider-auth", "a", null)).extracting(OperatorLogRecord::level, OperatorLogRecord::reason)
                .containsExactly(tuple(Level.WARN, AUTH_FAILED.name()), tuple(Level.INFO, CREDENTIALS_UPDATED.name()));
        assertThat(fx.log("provider-auth", "a", job.id()).get(0).message()).contains("refreshing them and retrying once");
    }

    @Test
    void expiredCredentialsFoundByTheHealthCheckAreRefreshedWithoutDegradingTheProvider() {
        fx.cortex();
        fx.a().expireCredentials();
        fx.advance(Duration.ofSeconds(30));

        assertThat(fx.cortex().provider(id("a")).status()).isEqualTo(ONLINE);
        assertThat(fx.log("provider-auth", "a", null)).extracting(OperatorLogRecord::reason)
                .containsExactly(AUTH_FAILED.name(), CREDENTIALS_UPDATED.name());
        assertThat(fx.aJob()).isIn(SUCCEEDED).ranAttemptOn(1, "a");
        assertThat(fx.a().submissions()).isEqualTo(1);
    }

    @Test
    void unrefreshableCredentialsDegradeTheProviderAndTheJobFailsOver() {
        // Given a's credentials expired for good
        fx.cortex();
        fx.a().expireCredentials().credentialsRefreshable(false);

        // When a job is placed on a
        Job job = fx.aJob();

        // Then the job went to b without being charged for a, and a is DEGRADED for AUTH_FAILED
        assertThat(job).isIn(SUCCEEDED).hasAttempts(2).endedAttemptWith(1, AUTH_FAILED).ranAttemptOn(2, "b").hasAttemptsUsed(1);
        ProviderInfo a = fx.cortex().provider(id("a"));
        assertThat(a.status()).isEqualTo(DEGRADED);
        assertThat(a.reason()).isEqualTo(AUTH_FAILED);
        assertThat(fx.providerEvents(EventTypes.PROVIDER_STATUS_CHANGED, "a"))
                .extracting(ProviderChange::from, ProviderChange::to, ProviderChange::reason)
                .containsExactly(tuple(ONLINE, DEGRADED, AUTH_FAILED));
        assertThat(fx.log("provider-auth", "a", null)).extracting(OperatorLogRecord::level)
                .containsExactly(Level.WARN, Level.ERROR);
        assertThat(fx.log("provider-auth", "a", null).get(1).message()).contains("/api/plugin-core/providers/a/credentials");

        // and later jobs skip a while its credentials are refused
        assertThat(fx.aJob()).isIn(SUCCEEDED).hasAttempts(1).ranAttemptOn(1, "b");
        assertThat(fx.cortex().diagnose(job.id()).has(AUTH_FAILED)).isTrue();
    }

    @Test
    void jobWaitingForRefusedCredentialsIsDiagnosedAndPlacedOnceTheyAreReplaced() {
        // Given the only provider refuses its credentials and cannot refresh them
        fx = EngineFixture.withProviders("a");
        fx.cortex();
        fx.a().expireCredentials().credentialsRefreshable(false);
        Job job = fx.aJob();
        assertThat(job).isIn(PENDING).hasReason(AUTH_FAILED).hasAttemptsUsed(0);

        // When the operator asks why
        Diagnosis d = fx.cortex().diagnose(job.id());

        // Then the diagnosis names the refused credentials as what blocks the job
        assertThat(d.state()).isEqualTo(PENDING);
        Finding blocking = d.findings().stream().filter(f -> f.severity() == Finding.Severity.BLOCKING).findFirst().orElseThrow();
        assertThat(blocking.reason()).isEqualTo(AUTH_FAILED);
        assertThat(blocking.provider()).isEqualTo("a");
        assertThat(blocking.suggestedAction()).contains("credentials");

        // When new credentials are put in place
        ProviderInfo after = fx.cortex().updateCredentials(id("a"), Credentials.of(Map.of("apiKey", "k-2", "secret", "s-2")));

        // Then a is ONLINE again, an event says so, and the waiting job ran
        assertThat(after.status()).isEqualTo(ONLINE);
        assertThat(fx.a().credentials().get("apiKey")).contains("k-2");
        assertThat(fx.providerEvents(EventTypes.PROVIDER_CREDENTIALS_UPDATED, "a"))
                .extracting(ProviderChange::reason).containsExactly(CREDENTIALS_UPDATED);
        assertThat(fx.providerEvents(EventTypes.PROVIDER_STATUS_CHANGED, "a")).extracting(ProviderChange::to)
                .containsExactly(DEGRADED, ONLINE);
        assertThat(fx.reload(job)).isIn(SUCCEEDED).hasAttempts(2).ranAttemptOn(2, "a");
        assertThat(fx.log("provider-auth", "a", null)).extracting(OperatorLogRecord::message).last().asString()
                .contains("credentials replaced");
    }

    @Test
    void refreshAuthOnAProviderRepairsExpiredCredentials() {
        fx.cortex();
        fx.a().expireCredentials();

        ProviderInfo info = fx.cortex().refreshAuth(id("a"));

        assertThat(info.status()).isEqualTo(ONLINE);
        assertThat(fx.providerEvents(EventTypes.PROVIDER_CREDENTIALS_UPDATED, "a")).hasSize(1);
        assertThat(fx.log("provider-auth", "a", null)).extracting(OperatorLogRecord::message).containsExactly("credentials refreshed");
        assertThat(fx.aJob()).isIn(SUCCEEDED).ranAttemptOn(1, "a");
        assertThat(fx.a().submissions()).isEqualTo(1);
    }

    @Test
    void refreshAuthThatCannotRefreshThrowsAndIsLogged() {
        fx.cortex();
        fx.a().expireCredentials().credentialsRefreshable(false);

        assertThatThrownBy(() -> fx.cortex().refreshAuth(id("a")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(AUTH_FAILED));
        assertThat(fx.log("provider-auth", "a", null)).extracting(OperatorLogRecord::level, OperatorLogRecord::reason)
                .containsExactly(tuple(Level.ERROR, AUTH_FAILED.name()));
        assertThat(fx.providerEvents(EventTypes.PROVIDER_CREDENTIALS_UPDATED, "a")).isEmpty();
    }
}
