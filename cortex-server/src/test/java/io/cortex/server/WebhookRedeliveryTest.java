package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.server.ScriptedReceiver.Received;
import io.cortex.server.TestServer.Reply;
import io.cortex.webhooks.VerifiedWebhook;
import io.cortex.webhooks.WebhookSecret;
import io.cortex.webhooks.WebhookVerificationException;
import io.cortex.webhooks.WebhookVerifier;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /api/plugin-core/webhooks/{id}/deliveries/{deliveryId}/redeliver} and
 * {@code POST /api/plugin-core/webhooks/{id}/redeliver?since=}: over real HTTP, to a real loopback
 * endpoint that fails (500, no answer within the timeout, 410 Gone) before it recovers. The engine's clock does
 * not move, so no retry of the schedule happens by itself: every second attempt is the redelivery.
 */
class WebhookRedeliveryTest {
    private static final String WEBHOOKS = "/api/plugin-core/webhooks";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestServer t = new TestServer();
    private ScriptedReceiver receiver;

    @AfterEach
    void close() {
        t.close();
        if (receiver != null) {
            receiver.close();
        }
    }

    /**
     * Subscribes the scripted receiver to job.status.changed, with a timeout of 1 s; answers the
     * subscription with its secret.
     */
    private JsonNode subscribe(int... answers) {
        receiver = new ScriptedReceiver(answers);
        Reply r = t.post(WEBHOOKS, t.admin, "{\"url\":\"" + receiver.url() + "\",\"events\":[\"job.status.changed\"],\"timeout\":1}");
        assertThat(r.status()).isEqualTo(201);
        return r.json();
    }

    private JsonNode history(String webhookId) {
        Reply r = t.get(WEBHOOKS + "/" + webhookId + "/history", t.reader);
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    /** The delivery once {@code condition} holds for it, read over the REST API. */
    private JsonNode awaitDelivery(String webhookId, String deliveryId, Predicate<JsonNode> condition) {
        return await().atMost(WAIT).until(() -> find(history(webhookId), deliveryId), d -> d != null && condition.test(d));
    }

    private static JsonNode find(JsonNode deliveries, String id) {
        for (JsonNode d : deliveries) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        return null;
    }

    private static Predicate<JsonNode> attempts(int n) {
        return d -> d.get("attempts").size() == n;
    }

    private Reply redeliver(String webhookId, String deliveryId, GeneratedApiKey key) {
        return t.post(WEBHOOKS + "/" + webhookId + "/deliveries/" + deliveryId + "/redeliver", key, null);
    }

    private String firstDelivery(String webhookId) {
        JsonNode first = await().atMost(WAIT).until(() -> history(webhookId), h -> h.size() == 1 && h.get(0).get("attempts").size() == 1);
        return first.get(0).get("id").asText();
    }

    @Test
    void aFailedDeliveryIsRedeliveredWithTheSameWebhookIdUntilTheEndpointTakesIt() throws WebhookVerificationException {
        JsonNode sub = subscribe(500, ScriptedReceiver.STALL, 200);
        String id = sub.get("id").asText();
        String job = t.submit("{\"image\":\"acme/train:1\"}"); // pending -> assigned: one delivery
        String delivery = firstDelivery(id);
        JsonNode first = awaitDelivery(id, delivery, attempts(1));
        assertThat(first.get("status").asText()).isEqualTo("PENDING");
        assertThat(first.at("/attempts/0/statusCode").asInt()).isEqualTo(500);

        // the endpoint does not answer the first redelivery in time: recorded, still pending
        Reply again = redeliver(id, delivery, t.admin);

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.contentType()).startsWith("application/json");
        assertThat(again.json().get("id").asText()).isEqualTo(delivery);
        assertThat(again.json().get("subscriptionId").asText()).isEqualTo(id);
        assertThat(again.json().get("status").asText()).isEqualTo("PENDING");
        JsonNode timedOut = awaitDelivery(id, delivery, attempts(2));
        assertThat(timedOut.get("status").asText()).isEqualTo("PENDING");
        assertThat(timedOut.at("/attempts/1/outcome").asText()).isEqualTo("TIMEOUT");
        assertThat(timedOut.at("/attempts/1/statusCode").asInt()).isZero();

        // the endpoint is back: the second redelivery succeeds
        assertThat(redeliver(id, delivery, t.admin).status()).isEqualTo(202);
        JsonNode done = awaitDelivery(id, delivery, d -> d.get("status").asText().equals("SUCCEEDED"));
        assertThat(done.get("attempts")).extracting(a -> a.get("number").asInt() + " " + a.get("outcome").asText() + " "
                + a.get("statusCode").asInt()).containsExactly("1 HTTP_ERROR 500", "2 TIMEOUT 0", "3 SUCCEEDED 200");

        // three requests, one webhook-id and one body, each signed anew with the subscription's secret
        WebhookVerifier verifier = WebhookVerifier.builder().secret(WebhookSecret.parse(sub.get("secret").asText()))
                .clock(t.clock).build();
        assertThat(receiver.received()).hasSize(3);
        assertThat(receiver.received()).extracting(Received::webhookId).containsOnly(delivery);
        assertThat(receiver.received()).extracting(Received::text).containsOnly(receiver.received().get(0).text())
                .allSatisfy(body -> assertThat(body).contains(job));
        for (Received r : receiver.received()) {
            VerifiedWebhook verified = verifier.verify(r.body(), r.headers());
            assertThat(verified.id()).isEqualTo(delivery);
        }
    }

    @Test
    void aDeliveryThatSucceededIsSentOnceMoreWhenAsked() {
        String id = subscribe(204).get("id").asText();
        t.submit("{\"image\":\"acme/train:1\"}");
        String delivery = firstDelivery(id);
        awaitDelivery(id, delivery, d -> d.get("status").asText().equals("SUCCEEDED"));

        Reply r = redeliver(id, delivery, t.admin);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isEqualTo("PENDING");
        JsonNode done = awaitDelivery(id, delivery, d -> d.get("status").asText().equals("SUCCEEDED") && d.get("attempts").size() == 2);
        assertThat(done.at("/attempts/1/statusCode").asInt()).isEqualTo(204);
        assertThat(receiver.received()).extracting(Received::webhookId).containsExactly(delivery, delivery);
    }

    @Test
    void anEndpointDisabledByGoneIsRefusedWith409UntilEnabledThenItsDeliveriesGoAgainByRange() {
        String id = subscribe(410, 204).get("id").asText();
        t.submit("{\"image\":\"acme/train:1\"}");
        String delivery = firstDelivery(id);
        awaitDelivery(id, delivery, d -> d.get("status").asText().equals("FAILED"));
        await().atMost(WAIT).until(() -> !t.get(WEBHOOKS + "/" + id, t.reader).json().get("enabled").asBoolean());

        Reply one = redeliver(id, delivery, t.admin);
        Reply range = t.post(WEBHOOKS + "/" + id + "/redeliver?since=2000-01-01T00:00:00Z", t.admin, null);

        for (Reply refused : new Reply[] {one, range}) {
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asText()).isEqualTo("https://cortex.io/problems/conflict");
            assertThat(refused.json().get("detail").asText()).contains("webhook '" + id + "' is disabled")
                    .contains("{\"enabled\": true}");
            assertThat(refused.json().get("webhookId").asText()).isEqualTo(id);
        }
        assertThat(receiver.received()).as("nothing sent while disabled").hasSize(1);

        assertThat(t.put(WEBHOOKS + "/" + id, t.admin, "{\"enabled\":true}").status()).isEqualTo(200);
        Reply queued = t.post(WEBHOOKS + "/" + id + "/redeliver?since=2000-01-01T00:00:00Z", t.admin, null);

        assertThat(queued.status()).isEqualTo(202);
        assertThat(queued.json().get("subscriptionId").asText()).isEqualTo(id);
        assertThat(queued.json().get("since").asText()).isEqualTo("2000-01-01T00:00:00Z");
        assertThat(queued.json().get("includeSucceeded").asBoolean()).isFalse();
        assertThat(queued.json().get("redelivered").asInt()).isEqualTo(1);
        awaitDelivery(id, delivery, d -> d.get("status").asText().equals("SUCCEEDED"));
        assertThat(receiver.received()).extracting(Received::webhookId).containsExactly(delivery, delivery);

        // nothing failed any more; succeeded deliveries go again only when asked
        assertThat(t.post(WEBHOOKS + "/" + id + "/redeliver?since=2000-01-01T00:00:00Z", t.admin, null).json()
                .get("redelivered").asInt()).isZero();
        assertThat(t.post(WEBHOOKS + "/" + id + "/redeliver?since=2000-01-01T00:00:00Z&includeSucceeded=true", t.admin, null)
                .json().get("redelivered").asInt()).isEqualTo(1);
        awaitDelivery(id, delivery, attempts(3));
        assertThat(t.post(WEBHOOKS + "/" + id + "/redeliver?since=2031-01-01T00:00:00Z&includeSucceeded=true", t.admin, null)
                .json().get("redelivered").asInt()).as("created before since").isZero();
    }

    @ParameterizedTest
    @CsvSource({"reader,403", "writer,403", ",401"})
    void onlyAnAdminKeyMayRedeliver(String who, int status) {
        String id = subscribe(500).get("id").asText();
        t.submit("{\"image\":\"acme/train:1\"}");
        String delivery = firstDelivery(id);
        GeneratedApiKey key = who == null ? null : who.equals("reader") ? t.reader : t.writer;

        Reply one = redeliver(id, delivery, key);
        Reply range = t.post(WEBHOOKS + "/" + id + "/redeliver?since=2000-01-01T00:00:00Z", key, null);

        for (Reply refused : new Reply[] {one, range}) {
            assertThat(refused.status()).isEqualTo(status);
            if (status == 403) {
                assertThat(refused.json().get("requiredScope").asText()).isEqualTo("admin");
            }
        }
        assertThat(t.dispatcher.delivery(delivery).orElseThrow().attempts()).as("not sent again").hasSize(1);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void unknownWebhooksAndDeliveriesAre404NamingTheId() {
        String id = subscribe(204).get("id").asText();
        String other = t.post(WEBHOOKS, t.admin, "{\"url\":\"" + receiver.url() + "/other\",\"events\":[\"provider.wallet.low\"]}")
                .json().get("id").asText();
        t.submit("{\"image\":\"acme/train:1\"}");
        String delivery = firstDelivery(id);

        Reply noWebhook = redeliver("sub_nope", delivery, t.admin);
        Reply noWebhookRange = t.post(WEBHOOKS + "/sub_nope/redeliver?since=2000-01-01T00:00:00Z", t.admin, null);
        Reply noDelivery = redeliver(id, "msg_nope", t.admin);
        Reply ofAnotherWebhook = redeliver(other, delivery, t.admin);

        for (Reply r : new Reply[] {noWebhook, noWebhookRange}) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.json().get("resource").asText()).isEqualTo("webhook");
            assertThat(r.json().get("id").asText()).isEqualTo("sub_nope");
        }
        assertThat(noDelivery.status()).isEqualTo(404);
        assertThat(noDelivery.json().get("resource").asText()).isEqualTo("delivery");
        assertThat(noDelivery.json().get("id").asText()).isEqualTo("msg_nope");
        assertThat(noDelivery.json().get("detail").asText()).contains("msg_nope").contains(id);
        assertThat(ofAnotherWebhook.status()).as("a delivery of another webhook is not shown through this one").isEqualTo(404);
        assertThat(ofAnotherWebhook.json().get("resource").asText()).isEqualTo("delivery");
        assertThat(receiver.received()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"|since/required", "?since=yesterday|since/format",
            "?since=2000-01-01T00:00:00Z&includeSucceeded=maybe|includeSucceeded/format"})
    void aRangeRedeliveryNeedsAValidSince(String query, String error) {
        String id = subscribe(204).get("id").asText();

        Reply r = t.post(WEBHOOKS + "/" + id + "/redeliver" + (query == null ? "" : query), t.admin, null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstError()).isEqualTo(error);
    }

    @Test
    void withoutADispatcherRedeliveryIs501() {
        String id = subscribe(204).get("id").asText();
        try (CortexServer noDispatcher = CortexServer.builder().cortex(t.cortex).apiKeys(t.keys).webhooks(t.subscriptions)
                .start()) {
            for (String path : new String[] {"/deliveries/msg_x/redeliver", "/redeliver?since=2000-01-01T00:00:00Z"}) {
                Reply r = t.send(HttpRequest.newBuilder(noDispatcher.uri().resolve(WEBHOOKS + "/" + id + path))
                        .header("Authorization", "Bearer " + t.admin.token()).POST(HttpRequest.BodyPublishers.noBody()).build());

                assertThat(r.status()).isEqualTo(501);
                assertThat(r.json().get("feature").asText()).isEqualTo("webhook-dispatcher");
            }
        }
    }
}
