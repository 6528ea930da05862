package io.cortex.core.json;

import static io.cortex.core.json.Json.q;
import static io.cortex.core.json.Json.read;
import static io.cortex.core.json.Json.readError;
import static io.cortex.core.json.Json.roundTrip;
import static io.cortex.core.json.Json.tree;
import static io.cortex.core.json.Json.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.Quantity;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderInfo;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.core.provider.WalletBalance;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderJsonTest {
    private static final ProviderCapabilities CAPABILITIES = new ProviderCapabilities(8000, Quantity.gibibytes(32),
            Quantity.parse("500Gi"), 2, Set.of("amd64", "arm64"), Set.of("docker.io", "ghcr.io"),
            new BigDecimal("0.125"), "USDC");

    @Test
    void capabilitiesRoundTripWithQuantitiesAsStringsAndPriceAsString() {
        var json = tree(CAPABILITIES);

        assertThat(json.get("maxMemory").asText()).isEqualTo("32Gi");
        assertThat(json.get("maxStorage").asText()).isEqualTo("500Gi");
        assertThat(json.get("pricePerHour").isTextual()).isTrue();
        assertThat(json.get("pricePerHour").asText()).isEqualTo("0.125");
        assertThat(roundTrip(CAPABILITIES, ProviderCapabilities.class)).isEqualTo(CAPABILITIES);
    }

    @Test
    void healthRoundTripsAndOmitsAnAbsentReason() {
        ProviderHealth online = ProviderHealth.online();
        ProviderHealth degraded = ProviderHealth.degraded(ReasonCode.AUTH_FAILED, "401 from /jobs");

        assertThat(write(online)).isEqualTo(q("{'status':'online','message':''}"));
        assertThat(write(ProviderHealth.offline("timeout")))
                .isEqualTo(q("{'status':'offline','reason':'PROVIDER_OFFLINE','message':'timeout'}"));
        assertThat(roundTrip(online, ProviderHealth.class)).isEqualTo(online);
        assertThat(roundTrip(degraded, ProviderHealth.class)).isEqualTo(degraded);
    }

    @Test
    void providerInfoRoundTrips() {
        ProviderInfo info = new ProviderInfo(Samples.AKASH, "akash", ProviderStatus.DEGRADED, ReasonCode.PROVIDER_DEGRADED,
                "slow", Samples.T0, Samples.at(10), 2, 3, CAPABILITIES, Set.of("logs", "wallet"), Samples.at(60));
        ProviderInfo fresh = new ProviderInfo(Samples.LOCAL, "process", ProviderStatus.ONLINE, null, "", Samples.T0,
                null, 0, 0, null, Set.of(), null);

        assertThat(tree(info).get("status").asText()).isEqualTo("degraded");
        assertThat(roundTrip(info, ProviderInfo.class)).isEqualTo(info);
        assertThat(tree(fresh).has("capabilities")).isFalse();
        assertThat(roundTrip(fresh, ProviderInfo.class)).isEqualTo(fresh);
    }

    @Test
    void walletBalanceHasTheAmountAsAString() {
        WalletBalance balance = WalletBalance.of("12.50", "USDC");

        assertThat(write(balance)).isEqualTo(q("{'amount':'12.50','currency':'USDC'}"));
        assertThat(roundTrip(balance, WalletBalance.class)).isEqualTo(balance);
        assertThat(read(q("{'amount':12.50,'currency':'USDC'}"), WalletBalance.class)).isEqualTo(balance);
    }

    @Test
    void negativeWalletBalanceIsRejected() {
        assertThat(readError(q("{'amount':'-1','currency':'USDC'}"), WalletBalance.class))
                .contains("amount must not be negative, got -1");
    }

    @Test
    void credentialsAreWrittenRedactedWithNamesAndExpiryOnly() {
        Credentials credentials = Credentials.of(Map.of("secret", "TOP-SECRET-VALUE", "apiKey", "AKIA-KEY-VALUE"),
                Instant.parse("2025-06-01T00:00:00Z"));

        String json = write(credentials);

        assertThat(json).isEqualTo(q("{'names':['apiKey','secret'],'expiresAt':'2025-06-01T00:00:00Z'}"));
        assertThat(json).doesNotContain("TOP-SECRET-VALUE").doesNotContain("AKIA-KEY-VALUE");
    }

    @Test
    void credentialsNestedInAMapAreRedactedToo() {
        String json = write(Map.of("akash", Credentials.of(Map.of("walletKey", "0xDEADBEEF"))));

        assertThat(json).isEqualTo(q("{'akash':{'names':['walletKey']}}")).doesNotContain("0xDEADBEEF");
    }

    @Test
    void credentialsAreReadFromTheFlatBody() {
        Credentials credentials = read(q("{'apiKey':'new-api-key','secret':'new-secret'}"), Credentials.class);

        assertThat(credentials).isEqualTo(Credentials.of(Map.of("apiKey", "new-api-key", "secret", "new-secret")));
        assertThat(credentials.expiresAt()).isEmpty();
    }

    @Test
    void credentialsWithANullOrNestedValueAreRejectedWithoutEchoingSecrets() {
        assertThat(readError(q("{'apiKey':'visible-secret','secret':null}"), Credentials.class))
                .contains("credential 'secret' cannot be null").doesNotContain("visible-secret");
        assertThat(readError(q("{'apiKey':'visible-secret','token':{'v':1}}"), Credentials.class))
                .contains("token").doesNotContain("visible-secret");
    }

    @Test
    void remoteStatusRoundTripsWithoutDerivedFields() {
        RemoteStatus status = RemoteStatus.exited(3, "boom").withCost(new BigDecimal("1.50"));

        assertThat(write(status)).isEqualTo(q("{'state':'failed','reason':'JOB_FAILED','message':'boom','exitCode':3,'cost':'1.50'}"));
        assertThat(roundTrip(status, RemoteStatus.class)).isEqualTo(status);
        assertThat(roundTrip(RemoteStatus.running(), RemoteStatus.class)).isEqualTo(RemoteStatus.running());
    }

    @Test
    void logLineRoundTrips() {
        LogLine line = new LogLine(41, Samples.T0, "stderr", "epoch 3: loss=0.12");

        assertThat(write(line)).isEqualTo(q("{'sequence':41,'timestamp':'2025-03-01T10:15:30.123456789Z',"
                + "'stream':'stderr','text':'epoch 3: loss=0.12'}"));
        assertThat(roundTrip(line, LogLine.class)).isEqualTo(line);
    }
}
