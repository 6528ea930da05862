package io.cortex.core.json;

import static io.cortex.core.json.Json.read;
import static io.cortex.core.json.Json.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.WalletBalance;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request and response bodies of the operator guide's curl examples, exactly as printed there. */
class OperatorGuideBodiesTest {

    @Test
    void resourcesPutBodyReadsAsResources() {
        String body = """
                {
                  "cpu": 1000,
                  "memory": "1Gi",
                  "storage": "10Gi"
                }""";

        assertThat(read(body, Resources.class)).isEqualTo(Resources.of(1000, "1Gi", "10Gi"));
    }

    @Test
    void resourcesAreWrittenInThePutBodyShape() {
        assertThat(write(Resources.of(1000, "1Gi", "10Gi")))
                .isEqualTo("{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"10Gi\",\"gpus\":0}");
    }

    @Test
    void walletBalanceHasTheWalletResponseShape() {
        assertThat(write(WalletBalance.of("12.50", "USDC"))).isEqualTo("{\"amount\":\"12.50\",\"currency\":\"USDC\"}");
    }

    @Test
    void credentialsPutBodyReadsAsCredentials() {
        String body = """
                {
                  "apiKey": "new-api-key",
                  "secret": "new-secret"
                }""";

        Credentials credentials = read(body, Credentials.class);

        assertThat(credentials.get("apiKey")).contains("new-api-key");
        assertThat(credentials.get("secret")).contains("new-secret");
        assertThat(credentials.values()).hasSize(2);
    }

    @Test
    void topUpAmountParsesAsAnExactBigDecimal() {
        String body = """
                {
                  "amount": "10.0"
                }""";

        BigDecimal amount = read(body, new TypeReference<Map<String, BigDecimal>>() {}).get("amount");

        assertThat(amount).isEqualTo(new BigDecimal("10.0"));
        assertThat(amount.scale()).isEqualTo(1);
        assertThat(read("{\"amount\": 10.0}", new TypeReference<Map<String, BigDecimal>>() {}).get("amount"))
                .isEqualTo(new BigDecimal("10.0"));
    }

    @Test
    void resubmitBodyNamesAProvider() {
        Map<String, ProviderId> body = read("{\"provider\": \"alternate-provider-id\"}",
                new TypeReference<Map<String, ProviderId>>() {});

        assertThat(body.get("provider")).isEqualTo(ProviderId.of("alternate-provider-id"));
    }
}
