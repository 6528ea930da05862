package io.cortex.webhooks;

import static io.cortex.webhooks.Fixtures.SECRET;
import static io.cortex.webhooks.Fixtures.providerEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.cortex.core.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The receiver of {@code docs/webhooks.md} ("verify a Cortex webhook in 10 lines"), kept true. */
class ReceiverDocsExampleTest {

  private final Set<String> handled = ConcurrentHashMap.newKeySet();

  private void handleOnce(String webhookId, byte[] body) {
    handled.add(webhookId);
  }

  @Test
  void theDocumentedReceiverVerifiesWhatTheDispatcherSends() throws Exception {
    WebhookSecret secret = SECRET;
    // --- as in docs/webhooks.md, but on an ephemeral loopback port ---
    WebhookVerifier verifier = WebhookVerifier.builder().secret(secret).build();
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/cortex", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();   // the raw bytes, as received
      try {
        VerifiedWebhook hook = verifier.verify(body, exchange.getRequestHeaders()::getFirst);
        handleOnce(hook.id(), body);                            // webhook-id: deduplicate on it
        exchange.sendResponseHeaders(204, -1);
      } catch (WebhookVerificationException e) {
        exchange.sendResponseHeaders(401, -1);
      }
      exchange.close();
    });
    server.start();
    // ---
    ManualClock notUsed = new ManualClock();
    WebhookSubscriptions subs = new WebhookSubscriptions();
    subs.create(WebhookSubscription.builder().id("docs")
        .url("http://127.0.0.1:" + server.getAddress().getPort() + "/cortex")
        .eventTypes(WebhookEventTypes.ALL).secrets(secret)
        .allowPlainHttp(true).allowPrivateAddresses(true).build());
    try (WebhookDispatcher d = WebhookDispatcher.builder().subscriptions(subs)
        .clock(Clock.systemUTC()).manual().build()) {
      d.start();
      d.onEvent(providerEvent(notUsed, "alpha", 1));

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(d.history("docs", Instant.EPOCH, 10)).singleElement()
              .satisfies(x -> assertThat(x.status()).isEqualTo(DeliveryStatus.SUCCEEDED))
              .satisfies(x -> assertThat(x.attempts().get(0).statusCode()).isEqualTo(204))
              .satisfies(x -> assertThat(handled).containsExactly(x.id())));
    } finally {
      server.stop(0);
    }
  }
}
