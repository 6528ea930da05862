package io.cortex.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.cortex.webhooks.Fixtures.SECRET;
import static io.cortex.webhooks.Fixtures.loopback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.event.EventTypes;
import io.cortex.core.job.JobSpec;
import io.cortex.core.json.CortexJson;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderId;
import io.cortex.provider.inmemory.InMemoryProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One real webhook per event type, produced by an engine and the dispatcher and captured by a
 * receiver: the catalogue in {@code docs/webhooks.md} is pasted from the file this test writes,
 * {@code target/webhook-payload-examples.md}.
 */
class WebhookPayloadCatalogueTest {

  @Test
  void everyEventTypeHasAPayloadWithTypeTimestampAndData() throws Exception {
    ManualClock clock = new ManualClock();
    InMemoryProvider cloud = InMemoryProvider.builder("cloud").clock(clock)
        .capabilities(ProviderCapabilities.of(2000, "4Gi", "20Gi")).price("0.40", "USD").build();
    InMemoryProvider gpu = InMemoryProvider.builder("gpu").clock(clock)
        .capabilities(ProviderCapabilities.of(8000, "32Gi", "100Gi").withMaxGpus(2))
        .price("5.00", "USD").wallet("0.01").build();
    WebhookSubscriptions subs = new WebhookSubscriptions();
    Map<String, JsonNode> examples = new LinkedHashMap<>();
    try (Receiver receiver = new Receiver(); Receiver gone = new Receiver();
        Cortex cortex = Cortex.builder().clock(clock).manual().healthThreshold(1)
            .provider(cloud).provider(gpu).build();
        WebhookDispatcher dispatcher = WebhookDispatcher.builder().engine(cortex)
            .subscriptions(subs).manual().build()) {
      subs.create(loopback("sub_catalogue", receiver.url()).build());
      subs.create(loopback("sub_gone", gone.url()).eventTypes("provider.credentials.*").build());
      gone.respond(aResponse().withStatus(410));

      // fits "cloud": submitted (job.updated), then pending > assigned > running > succeeded
      cortex.submit(JobSpec.builder().image("ghcr.io/acme/etl:1.4").resources(500, "1Gi", "2Gi")
          .label("team", "data").env("DB_PASSWORD", "hunter2").build());
      // too big for "cloud", "gpu" cannot pay: waits (job.updated) and the wallet is low
      cortex.submit(JobSpec.builder().image("ghcr.io/acme/train:2.0")
          .resources(4000, "16Gi", "50Gi").build());
      // too big for everyone: fails at once (job.status.changed pending > failed)
      cortex.submit(JobSpec.builder().image("ghcr.io/acme/huge:1")
          .resources(64000, "512Gi", "1Ti").build());
      cortex.refreshAuth(ProviderId.of("cloud"));       // provider.credentials.updated
      cloud.goOffline();
      clock.advance(Duration.ofMinutes(1));
      cortex.tick();                                    // provider.status.changed

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        for (JsonNode b : receiver.bodies()) {
          String type = b.get("type").asText();
          boolean better = type.equals(EventTypes.JOB_STATUS_CHANGED)
              ? b.at("/data/job/state").asText().equals("failed")
              : type.equals(EventTypes.JOB_UPDATED)
                  ? b.at("/data/change/type").asText().equals("WAITING") : true;
          if (better) {
            examples.putIfAbsent(type, b);
          }
        }
        assertThat(examples.keySet()).containsExactlyInAnyOrderElementsOf(EventTypes.ALL);
      });
      receiver.verifyAll(SECRET, clock);
    }

    for (JsonNode example : examples.values()) {
      assertThat(example.fieldNames()).toIterable().containsExactly("type", "timestamp", "data");
      assertThat(example.at("/data/eventId").asText()).startsWith("evt_");
    }
    assertThat(examples.get(EventTypes.JOB_UPDATED).at("/data/reason/code").asText())
        .isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(examples.get(EventTypes.JOB_UPDATED).at("/data/placement")).hasSize(2);
    assertThat(examples.get(EventTypes.WEBHOOK_ENDPOINT_DISABLED)
        .at("/data/endpoint/subscriptionId").asText()).isEqualTo("sub_gone");

    ObjectMapper pretty = CortexJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);
    StringBuilder md = new StringBuilder();
    for (String type : EventTypes.ALL) {
      md.append("### `").append(type).append("`\n\n```json\n")
          .append(pretty.writeValueAsString(examples.get(type))).append("\n```\n\n");
    }
    Path out = Path.of("target", "webhook-payload-examples.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
  }

  @Test
  void webhookEventTypesNameTheEnginesEventTypes() {
    assertThat(WebhookEventTypes.JOB_STATUS_CHANGED).isEqualTo(EventTypes.JOB_STATUS_CHANGED);
    assertThat(WebhookEventTypes.JOB_UPDATED).isEqualTo(EventTypes.JOB_UPDATED);
    assertThat(WebhookEventTypes.PROVIDER_STATUS_CHANGED)
        .isEqualTo(EventTypes.PROVIDER_STATUS_CHANGED);
    assertThat(WebhookEventTypes.PROVIDER_WALLET_LOW).isEqualTo(EventTypes.PROVIDER_WALLET_LOW);
    assertThat(WebhookEventTypes.PROVIDER_CREDENTIALS_UPDATED)
        .isEqualTo(EventTypes.PROVIDER_CREDENTIALS_UPDATED);
    assertThat(WebhookEndpointDisabled.TYPE).isEqualTo(EventTypes.WEBHOOK_ENDPOINT_DISABLED);
  }
}
