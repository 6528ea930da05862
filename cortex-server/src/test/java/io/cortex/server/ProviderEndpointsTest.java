package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.provider.ProviderId;
import io.cortex.server.TestServer.Reply;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderEndpointsTest {
    private static final String PROVIDERS = "/api/plugin-core/providers";

    private final TestServer t = new TestServer();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void listAnswersEveryProviderInConfigurationOrder() {
        JsonNode list = t.get(PROVIDERS, t.reader).json();

        assertThat(list).extracting(p -> p.get("id").asText()).containsExactly("alpha", "beta", "gamma");
        assertThat(list.get(2).get("status").asText()).isEqualTo("offline");
    }

    @Test
    void theWalletAbilityIsListedOnlyForAProviderThatHasAWallet() {
        JsonNode list = t.get(PROVIDERS, t.reader).json();

        assertThat(list.get(0).get("abilities")).extracting(JsonNode::asText).contains("wallet"); // alpha: wallet 50
        assertThat(list.get(1).get("abilities")).extracting(JsonNode::asText).as("beta: in-memory, built without a wallet")
                .containsExactlyInAnyOrder("logs", "credentials", "endpoints");
        assertThat(list.get(2).get("abilities")).as("gamma: no ability").isEmpty();
    }

    @Test
    void getAnswersTheProviderWithItsEndpointsWhenItManagesThem() {
        Reply alpha = t.get(PROVIDERS + "/alpha", t.reader);
        Reply gamma = t.get(PROVIDERS + "/gamma", t.reader);

        assertThat(alpha.json().get("endpoints").get(0).asText()).isEqualTo("https://inmemory.invalid");
        assertThat(alpha.json().get("status").asText()).isEqualTo("online");
        assertThat(gamma.status()).isEqualTo(200);
        assertThat(gamma.json().has("endpoints")).isFalse();
    }

    @Test
    void statusAnswersTheProvidersStatusAndCanCheckNow() {
        long checksBefore = t.alpha.healthChecks();

        Reply cached = t.get(PROVIDERS + "/alpha/status", t.reader);
        Reply fresh = t.get(PROVIDERS + "/alpha/status?refresh=true", t.reader);
        Reply bad = t.get(PROVIDERS + "/alpha/status?refresh=maybe", t.reader);

        assertThat(cached.json().get("status").asText()).isEqualTo("online");
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(t.alpha.healthChecks()).isEqualTo(checksBefore + 1);
        assertThat(bad.firstError()).isEqualTo("refresh/format");
    }

    @Test
    void capabilitiesAnswerPriceAndLimits() {
        JsonNode caps = t.get(PROVIDERS + "/alpha/capabilities", t.reader).json();

        assertThat(caps.get("pricePerHour").asText()).isEqualTo("0.10");
        assertThat(caps.get("currency").asText()).isEqualTo("USDC");
        assertThat(caps.get("maxMemory").asText()).isEqualTo("64Gi");
    }

    @Test
    void walletAnswersTheBalance() {
        JsonNode wallet = t.get(PROVIDERS + "/alpha/wallet", t.reader).json();

        assertThat(new java.math.BigDecimal(wallet.get("amount").asText())).isEqualByComparingTo("50");
        assertThat(wallet.get("currency").asText()).isEqualTo("USDC");
    }

    @ParameterizedTest
    @CsvSource({"GET,beta,/wallet,wallet", "GET,gamma,/wallet,wallet", "POST,beta,/wallet/topup,wallet",
            "POST,gamma,/refresh-auth,credentials", "PUT,gamma,/credentials,credentials", "PUT,gamma,,endpoints"})
    void anAbilityTheProviderLacksIs501NamingIt(String method, String provider, String suffix, String ability) {
        String body = switch (ability) {
            case "wallet" -> "{\"amount\":\"10.0\"}";
            case "credentials" -> "{\"apiKey\":\"k\",\"secret\":\"s\"}";
            default -> "{\"endpoints\":[\"https://updated-endpoint.example.com\"]}";
        };

        Reply r = t.send(method, PROVIDERS + "/" + provider + (suffix == null ? "" : suffix), t.admin,
                method.equals("GET") ? null : body);

        assertThat(r.status()).isEqualTo(501);
        assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/unsupported");
        assertThat(r.json().get("ability").asText()).isEqualTo(ability);
        assertThat(r.json().get("detail").asText()).contains(provider).contains(ability);
    }

    @Test
    void topUpAddsToTheWallet() {
        Reply r = t.post(PROVIDERS + "/alpha/wallet/topup", t.admin, "{\"amount\": \"10.0\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(new java.math.BigDecimal(r.json().get("amount").asText())).isEqualByComparingTo("60");
        assertThat(t.alpha.balance().amount()).isEqualByComparingTo("60");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"amount\":\"ten\"}|amount/format", "{\"amount\":\"-5\"}|amount/range",
            "{\"amount\":0}|amount/range", "{}|amount/required", "{\"amount\":true}|amount/type",
            "{\"amount\":\"1\",\"currency\":\"USD\"}|currency/unknown-field", "{\"amount\":|body/json"})
    void anInvalidTopUpIs400AndLeavesTheWalletAlone(String body, String error) {
        Reply r = t.post(PROVIDERS + "/alpha/wallet/topup", t.admin, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstError()).isEqualTo(error);
        assertThat(t.alpha.balance().amount()).isEqualByComparingTo("50");
    }

    @Test
    void refreshAuthAnswersTheProvider() {
        Reply r = t.post(PROVIDERS + "/alpha/refresh-auth", t.admin, null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id").asText()).isEqualTo("alpha");
    }

    @Test
    void credentialsAreReplacedAndNeverEchoed() {
        Reply r = t.put(PROVIDERS + "/alpha/credentials", t.admin, "{\"apiKey\": \"new-api-key\", \"secret\": \"new-secret\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("new-api-key").doesNotContain("new-secret");
        assertThat(t.alpha.credentials().get("apiKey")).contains("new-api-key");
        assertThat(t.alpha.credentials().get("secret")).contains("new-secret");
    }

    @Test
    void invalidCredentialsAre400AndChangeNothing() {
        Reply r = t.put(PROVIDERS + "/alpha/credentials", t.admin, "{\"apiKey\": {\"nested\": 1}}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("nested\":1");
        assertThat(t.alpha.credentials().isEmpty()).isTrue();
    }

    @Test
    void putReplacesTheEndpoints() {
        Reply r = t.put(PROVIDERS + "/alpha", t.admin, "{\"endpoints\": [\"https://updated-endpoint.example.com\"]}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("endpoints").get(0).asText()).isEqualTo("https://updated-endpoint.example.com");
        assertThat(t.alpha.endpoints()).containsExactly(URI.create("https://updated-endpoint.example.com"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"endpoints\":[\"https://ok.example.com\",\"not a url\"]}|endpoints[1]/format",
            "{\"endpoints\":[\"ftp://files.example.com\"]}|endpoints[0]/format", "{\"endpoints\":[]}|endpoints/range",
            "{\"endpoints\":\"https://ok.example.com\"}|endpoints/type", "{\"endpoint\":[]}|endpoint/unknown-field",
            "{\"endpoints\":[7]}|endpoints[0]/type"})
    void invalidEndpointsAre400AndChangeNothing(String body, String error) {
        Reply r = t.put(PROVIDERS + "/alpha", t.admin, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstError()).isEqualTo(error);
        assertThat(t.alpha.endpoints()).isEqualTo(List.of(URI.create("https://inmemory.invalid")));
    }

    @ParameterizedTest
    @CsvSource({"GET,", "PUT,", "GET,/status", "GET,/capabilities", "GET,/wallet", "POST,/wallet/topup", "POST,/refresh-auth",
            "PUT,/credentials"})
    void anUnknownProviderIs404(String method, String suffix) {
        Reply r = t.send(method, PROVIDERS + "/delta" + (suffix == null ? "" : suffix), t.admin,
                method.equals("GET") ? null : "{}");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("resource").asText()).isEqualTo("provider");
        assertThat(r.json().get("id").asText()).isEqualTo("delta");
        assertThat(t.cortex.providers()).extracting(p -> p.id()).doesNotContain(ProviderId.of("delta"));
    }
}
