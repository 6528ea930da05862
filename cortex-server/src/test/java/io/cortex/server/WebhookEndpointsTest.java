package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cortex.server.TestServer.Reply;
import io.cortex.webhooks.WebhookSubscription;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookEndpointsTest {
    private static final String WEBHOOKS = "/api/plugin-core/webhooks";

    private final TestServer t = new TestServer();
    /** A local endpoint that answers 204, so deliveries never leave this machine. */
    private HttpServer receiver;
    private String hookUrl;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhook";
    }

    @AfterEach
    void close() {
        t.close();
        receiver.stop(0);
    }

    private JsonNode create(String events) {
        Reply r = t.post(WEBHOOKS, t.admin, "{\"url\":\"" + hookUrl + "\",\"events\":" + events + "}");
        assertThat(r.status()).isEqualTo(201);
        return r.json();
    }

    @Test
    void createAnswers201WithTheSecretOnce() {
        Reply r = t.post(WEBHOOKS, t.admin, "{\"url\": \"" + hookUrl + "\", \"events\": [\"job.status.changed\", "
                + "\"provider.status.changed\"], \"timeout\": 5, \"description\": \"ops pager\"}");

        assertThat(r.status()).isEqualTo(201);
        JsonNode sub = r.json();
        String id = sub.get("id").asText();
        assertThat(r.header("Location")).isEqualTo(WEBHOOKS + "/" + id);
        assertThat(sub.get("secret").asText()).startsWith("whsec_");
        assertThat(sub.get("events")).extracting(JsonNode::asText).containsExactly("job.status.changed", "provider.status.changed");
        assertThat(sub.get("timeout").asLong()).isEqualTo(5);
        WebhookSubscription stored = t.subscriptions.get(id).orElseThrow();
        assertThat(stored.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(stored.secrets().get(0).reveal()).isEqualTo(sub.get("secret").asText());
        assertThat(t.get(WEBHOOKS + "/" + id, t.reader).json().has("secret")).isFalse();
        assertThat(t.get(WEBHOOKS, t.reader).body()).doesNotContain(sub.get("secret").asText()).contains(id);
    }

    @Test
    void createKeepsAGivenSecret() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        Reply r = t.post(WEBHOOKS, t.admin, "{\"url\":\"" + hookUrl + "\",\"events\":[\"*\"],\"secret\":\"" + secret + "\"}");

        assertThat(r.status()).isEqualTo(201);
        assertThat(t.subscriptions.get(r.json().get("id").asText()).orElseThrow().secrets().get(0).reveal()).isEqualTo(secret);
    }

    @Test
    void putChangesOnlyTheFieldsGiven() {
        String id = create("[\"job.status.changed\"]").get("id").asText();

        Reply r = t.put(WEBHOOKS + "/" + id, t.admin, "{\"url\": \"" + hookUrl + "/v2\", \"timeout\": 10, \"enabled\": false}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("url").asText()).isEqualTo(hookUrl + "/v2");
        assertThat(r.json().get("timeout").asLong()).isEqualTo(10);
        WebhookSubscription stored = t.subscriptions.get(id).orElseThrow();
        assertThat(stored.enabled()).isFalse();
        assertThat(stored.eventTypes()).containsExactly("job.status.changed");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"timeout\":0}|timeout/range", "{\"timeout\":301}|timeout/range",
            "{\"url\":\"ftp://x.example.com\"}|url/unsupported-scheme", "{\"events\":[\"not an event!\"]}|events/invalid",
            "{\"events\":[]}|events/invalid", "{\"enabled\":\"yes\"}|enabled/type", "{\"secret\":\"whsec_x\"}|secret/unknown-field"})
    void anInvalidPutIs400AndChangesNothing(String body, String error) {
        String id = create("[\"job.status.changed\"]").get("id").asText();
        WebhookSubscription before = t.subscriptions.get(id).orElseThrow();

        Reply r = t.put(WEBHOOKS + "/" + id, t.admin, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstError()).isEqualTo(error);
        assertThat(t.subscriptions.get(id)).contains(before);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"events\":[\"job.*\"]}|url/required", "{\"url\":\"HOOK\",\"events\":[\"*\"]}|url/unsupported-scheme",
            "{\"url\":\"https://a.example.com\"}|events/required", "{\"url\":\"https://a.example.com\",\"events\":[\"*\",\"job.*\"]}|events/invalid",
            "{\"url\":\"https://a.example.com\",\"events\":[\"*\"],\"secret\":\"not-a-secret\"}|secret/format",
            "{\"url\":\"https://a.example.com\",\"events\":[\"*\"],\"retries\":3}|retries/unknown-field",
            "{\"url\":\"https://a.example.com\",\"events\":[\"*\"],\"timeout\":\"10s\"}|timeout/type"})
    void anInvalidCreateIs400AndCreatesNothing(String body, String error) {
        Reply r = t.post(WEBHOOKS, t.admin, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstError()).isEqualTo(error);
        assertThat(t.subscriptions.size()).isZero();
    }

    @Test
    void theStrictUrlPolicyRefusesPlainHttpAndPrivateAddresses() {
        try (CortexServer strict = CortexServer.builder().cortex(t.cortex).apiKeys(t.keys).webhooks(t.subscriptions).start()) {
            Reply http = t.postWebhook(strict, "{\"url\":\"" + hookUrl + "\",\"events\":[\"*\"]}");
            Reply loopback = t.postWebhook(strict, "{\"url\":\"https://127.0.0.1/hook\",\"events\":[\"*\"]}");

            assertThat(http.firstError()).isEqualTo("url/https-required");
            assertThat(loopback.firstError()).isEqualTo("url/loopback");
            assertThat(t.subscriptions.size()).isZero();
        }
    }

    @Test
    void deleteRemovesTheSubscription() {
        String id = create("[\"*\"]").get("id").asText();

        Reply r = t.delete(WEBHOOKS + "/" + id, t.admin);

        assertThat(r.status()).isEqualTo(204);
        assertThat(t.subscriptions.get(id)).isEmpty();
        assertThat(t.delete(WEBHOOKS + "/" + id, t.admin).status()).isEqualTo(404);
    }

    @Test
    void historyAnswersTheDeliveriesOfTheEndpoint() {
        String id = create("[\"job.status.changed\"]").get("id").asText();
        t.submit("{\"image\":\"acme/train:1\"}");

        Reply r = t.get(WEBHOOKS + "/" + id + "/history", t.reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isNotEmpty();
        assertThat(r.json()).allSatisfy(d -> {
            assertThat(d.get("subscriptionId").asText()).isEqualTo(id);
            assertThat(d.get("eventType").asText()).isEqualTo("job.status.changed");
            assertThat(d.get("id").asText()).startsWith("msg_");
        });
        assertThat(t.get(WEBHOOKS + "/" + id + "/history?limit=1", t.reader).json()).hasSize(1);
        assertThat(t.get(WEBHOOKS + "/" + id + "/history?since=2031-01-01T00:00:00Z", t.reader).json()).isEmpty();
        assertThat(t.get(WEBHOOKS + "/" + id + "/history?since=yesterday", t.reader).firstError()).isEqualTo("since/format");
    }

    @ParameterizedTest
    @CsvSource({"GET,", "PUT,", "DELETE,", "GET,/history"})
    void anUnknownWebhookIs404(String method, String suffix) {
        Reply r = t.send(method, WEBHOOKS + "/sub_nope" + (suffix == null ? "" : suffix), t.admin,
                method.equals("PUT") ? "{\"enabled\":false}" : null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("resource").asText()).isEqualTo("webhook");
    }

    @Test
    void withoutWebhooksConfiguredTheWebhookPathsAre501() {
        try (CortexServer bare = CortexServer.builder().cortex(t.cortex).apiKeys(t.keys).start()) {
            Reply r = t.postWebhook(bare, "{\"url\":\"https://a.example.com\",\"events\":[\"*\"]}");

            assertThat(r.status()).isEqualTo(501);
            assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/unsupported");
        }
    }

    @Test
    void withoutADispatcherHistoryIs501() {
        String id = create("[\"*\"]").get("id").asText();
        try (CortexServer noDispatcher = CortexServer.builder().cortex(t.cortex).apiKeys(t.keys).webhooks(t.subscriptions)
                .start()) {
            Reply list = t.send(java.net.http.HttpRequest.newBuilder(noDispatcher.uri().resolve(WEBHOOKS))
                    .header("Authorization", "Bearer " + t.reader.token()).build());
            Reply history = t.send(java.net.http.HttpRequest.newBuilder(noDispatcher.uri().resolve(WEBHOOKS + "/" + id + "/history"))
                    .header("Authorization", "Bearer " + t.reader.token()).build());

            assertThat(list.status()).isEqualTo(200);
            assertThat(history.status()).isEqualTo(501);
            assertThat(history.json().get("detail").asText()).contains("dispatcher");
        }
    }
}
