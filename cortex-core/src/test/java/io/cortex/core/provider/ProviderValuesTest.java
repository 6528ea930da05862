package io.cortex.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.job.JobId;
import io.cortex.core.job.Quantity;
import io.cortex.core.job.ReasonCode;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The small provider-side values: wallet balance, capabilities, handles, health, remote status. */
class ProviderValuesTest {

    @Test
    void walletBalanceRefusesANegativeAmountOrBlankCurrencyNamingTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> WalletBalance.of("-0.01", "USDC"))
                .withMessageContaining("amount").withMessageContaining("-0.01");
        assertThatIllegalArgumentException().isThrownBy(() -> WalletBalance.of("1", " ")).withMessage("currency cannot be blank");
        assertThatNullPointerException().isThrownBy(() -> new WalletBalance(null, "USDC")).withMessage("amount cannot be null");
    }

    @Test
    void walletBalanceCoversACostUpToItsAmount() {
        WalletBalance balance = WalletBalance.of("12.50", "USDC");

        assertThat(balance.covers(new BigDecimal("12.5"))).isTrue();
        assertThat(balance.covers(new BigDecimal("12.49"))).isTrue();
        assertThat(balance.covers(new BigDecimal("12.51"))).isFalse();
        assertThat(balance).hasToString("12.50 USDC");
        assertThat(WalletBalance.of("1E+2", "USD")).hasToString("100 USD");
    }

    @Test
    void capabilitiesValidateAndNameTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProviderCapabilities.of(0, "1Gi", "1Gi"))
                .withMessageContaining("maxCpuMillis");
        assertThatIllegalArgumentException().isThrownBy(() -> ProviderCapabilities.of(1000, "lots", "1Gi"))
                .withMessageStartingWith("maxMemory 'lots'");
        assertThatIllegalArgumentException().isThrownBy(() -> ProviderCapabilities.of(1000, "1Gi", "-1"))
                .withMessageStartingWith("maxStorage '-1'");
        ProviderCapabilities caps = ProviderCapabilities.of(4000, "16Gi", "100Gi");
        assertThatIllegalArgumentException().isThrownBy(() -> caps.withMaxGpus(-1)).withMessageContaining("maxGpus");
        assertThatIllegalArgumentException().isThrownBy(() -> caps.withPrice(new BigDecimal("-1"), "USD"))
                .withMessageContaining("pricePerHour");
        assertThatIllegalArgumentException().isThrownBy(() -> caps.withPrice(BigDecimal.ONE, "")).withMessage("currency cannot be blank");
        assertThatNullPointerException().isThrownBy(() -> caps.withRegistries(null)).withMessage("registries cannot be null");
    }

    @Test
    void capabilitiesCopyTheirSetsAndDefaultToNoRestrictionAndNoPrice() {
        Set<String> registries = new HashSet<>(Set.of("docker.io"));
        ProviderCapabilities caps = ProviderCapabilities.of(4000, "16Gi", "100Gi").withRegistries(registries);

        registries.add("ghcr.io");

        assertThat(caps.registries()).containsExactly("docker.io");
        assertThatThrownBy(() -> caps.registries().add("x")).isInstanceOf(UnsupportedOperationException.class);
        ProviderCapabilities plain = ProviderCapabilities.of(4000, "16Gi", "100Gi");
        assertThat(plain.architectures()).isEmpty();
        assertThat(plain.registries()).isEmpty();
        assertThat(plain.pricePerHour()).isZero();
        assertThat(plain.maxGpus()).isZero();
        assertThat(plain.maxMemory()).isEqualTo(Quantity.gibibytes(16));
    }

    @Test
    void providerJobRefIsNeverBlank() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProviderJobRef.of(" ")).withMessage("providerJobRef cannot be blank");
        assertThatNullPointerException().isThrownBy(() -> ProviderJobRef.of(null)).withMessage("providerJobRef cannot be null");
        assertThat(ProviderJobRef.of("lease-1")).isEqualTo(new ProviderJobRef("lease-1")).hasToString("lease-1");
    }

    @Test
    void attemptRefNamesAJobAndAnAttemptFromOne() {
        JobId job = JobId.of("job_x1");

        assertThat(new AttemptRef(job, 2)).hasToString("job_x1#2");
        assertThatIllegalArgumentException().isThrownBy(() -> new AttemptRef(job, 0))
                .withMessageContaining("attempt number").withMessageContaining("0");
        assertThatNullPointerException().isThrownBy(() -> new AttemptRef(null, 1)).withMessage("jobId cannot be null");
    }

    @Test
    void healthFactoriesCarryTheirStatusAndReason() {
        assertThat(ProviderHealth.online().status()).isEqualTo(ProviderStatus.ONLINE);
        assertThat(ProviderHealth.online().reasonCode()).isEmpty();
        assertThat(ProviderHealth.offline("timeout").reasonCode()).contains(ReasonCode.PROVIDER_OFFLINE);
        assertThat(ProviderHealth.degraded(ReasonCode.AUTH_FAILED, "401").status()).isEqualTo(ProviderStatus.DEGRADED);
        assertThatNullPointerException().isThrownBy(() -> new ProviderHealth(null, null, "")).withMessage("status cannot be null");
    }

    @Test
    void remoteStatusFactoriesClassifyTheOutcome() {
        assertThat(RemoteStatus.exited(0, "ok")).isEqualTo(RemoteStatus.succeeded());
        assertThat(RemoteStatus.exited(137, "killed")).extracting(RemoteStatus::state, RemoteStatus::reason, RemoteStatus::exitCode)
                .containsExactly(RemoteState.FAILED, ReasonCode.JOB_FAILED, 137);
        assertThat(RemoteStatus.lost("gone").reason()).isEqualTo(ReasonCode.PROVIDER_LOST_JOB);
        assertThat(RemoteStatus.queued().isFinal()).isFalse();
        assertThat(RemoteStatus.running().isFinal()).isFalse();
        assertThat(RemoteStatus.cancelled().isFinal()).isTrue();
        assertThat(RemoteStatus.running().withCost(BigDecimal.TEN).costAmount()).contains(BigDecimal.TEN);
        assertThatNullPointerException().isThrownBy(() -> RemoteStatus.failed(null, "x")).withMessage("reason cannot be null");
    }

    @ParameterizedTest
    @EnumSource(ProviderStatus.class)
    void providerStatusWireNameIsTheLowerCaseName(ProviderStatus status) {
        assertThat(status.wireName()).isEqualTo(status.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void providerExceptionCarriesItsReasonInTheMessage() {
        ProviderException e = new ProviderException(ReasonCode.INSUFFICIENT_FUNDS, "balance 0.10 USDC, cost 0.50");

        assertThat(e.reason()).isEqualTo(ReasonCode.INSUFFICIENT_FUNDS);
        assertThat(e).hasMessage("INSUFFICIENT_FUNDS: balance 0.10 USDC, cost 0.50");
    }
}
