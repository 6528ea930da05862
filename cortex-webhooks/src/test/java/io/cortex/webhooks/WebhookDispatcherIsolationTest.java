package io.cortex.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.cortex.webhooks.Fixtures.SECRET;
import static io.cortex.webhooks.Fixtures.THREE_ATTEMPTS;
import static io.cortex.webhooks.Fixtures.loopback;
import static io.cortex.webhooks.Fixtures.manualDispatcher;
import static io.cortex.webhooks.Fixtures.providerEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cortex.core.ManualClock;
import io.cortex.core.log.OperatorLogRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Endpoints do not hold each other up; queues are bounded and say so when full. */
class WebhookDispatcherIsolationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock();
  private final WebhookSubscriptions subs = new WebhookSubscriptions();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private Receiver receiver() {
    Receiver r = new Receiver();
    closeables.add(r);
    return r;
  }

  private WebhookDispatcher started(WebhookDispatcher.Builder builder) {
    WebhookDispatcher d = builder.build();
    closeables.add(0, d);
    d.start();
    return d;
  }

  private static long count(WebhookDispatcher d, String subscriptionId, DeliveryStatus status) {
    return d.history(subscriptionId, Instant.EPOCH, 1000).stream()
        .filter(x -> x.status() == status).count();
  }

  @Test
  void aSlowEndpointDoesNotDelayAHealthyOne() {
    Receiver slow = receiver().respond(aResponse().withStatus(200).withFixedDelay(15_000));
    Receiver healthy = receiver();
    subs.create(loopback("slow", slow.url()).timeout(Duration.ofSeconds(30)).build());
    subs.create(loopback("healthy", healthy.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock));

    for (int i = 0; i < 30; i++) {
      d.onEvent(providerEvent(clock, "p" + (i % 10), i));
    }

    // well inside the slow endpoint's 15 s: the healthy one was not held up behind it
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(count(d, "healthy", DeliveryStatus.SUCCEEDED)).isEqualTo(30));
    assertThat(healthy.verifyAll(SECRET, clock)).hasSize(30);
    assertThat(count(d, "slow", DeliveryStatus.SUCCEEDED)).as("the slow endpoint is still busy")
        .isZero();
    assertThat(d.endpoint("slow").inFlight())
        .isEqualTo(WebhookDispatcher.DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT);
    assertThat(d.endpoint("slow").queued()).isEqualTo(30);
  }

  @Test
  void deliveriesWithOneOrderingKeyWaitForAnEarlierOneThatIsRetriedWhileOtherKeysGoOn() {
    Receiver receiver = receiver().respondInTurn(aResponse().withStatus(500),
        aResponse().withStatus(200));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS)
        .maxInFlightPerEndpoint(1));

    d.onEvent(providerEvent(clock, "alpha", 1));   // fails once, retried after 5 s
    await().atMost(WAIT).until(() -> d.endpoint("ep").consecutiveFailures() == 1);
    d.onEvent(providerEvent(clock, "alpha", 2));   // same key: must wait for alpha 1
    d.onEvent(providerEvent(clock, "beta", 1));    // other key: goes at once

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(count(d, "ep", DeliveryStatus.SUCCEEDED)).isEqualTo(1));
    assertThat(receiver.bodies()).extracting(b -> b.at("/data/provider/message").asText())
        .containsExactly("change 1 of alpha", "change 1 of beta");

    clock.advance(Duration.ofSeconds(5));
    d.runDue();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(count(d, "ep", DeliveryStatus.SUCCEEDED)).isEqualTo(3));
    assertThat(receiver.bodies()).extracting(b -> b.at("/data/provider/message").asText())
        .containsExactly("change 1 of alpha", "change 1 of beta", "change 1 of alpha",
            "change 2 of alpha");
    receiver.verifyAll(SECRET, clock);
  }

  @Test
  void aFullEndpointQueueParksDeliveriesInTheStoreReportsItAndCatchesUpLater() {
    Receiver receiver = receiver().respond(aResponse().withStatus(503));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS)
        .maxQueuedPerEndpoint(4).maxInFlightPerEndpoint(4));

    for (int i = 0; i < 10; i++) {
      d.onEvent(providerEvent(clock, "p" + i, 1));
    }

    assertThat(d.endpoint("ep").queued()).isEqualTo(4);
    assertThat(d.endpoint("ep").backpressured()).isTrue();
    assertThat(d.store().pendingCount()).as("nothing is lost").isEqualTo(10);
    assertThat(d.metrics().backpressured()).isEqualTo(6);
    assertThat(d.operatorLog().query(WebhookDispatcher.SERVICE_NAME, null, null,
        OperatorLogRecord.Level.WARN, null, 10))
        .singleElement().satisfies(r -> {
          assertThat(r.reason()).isEqualTo("WEBHOOK_BACKPRESSURE");
          assertThat(r.message()).contains("ep").contains("delivery store");
        });
    await().atMost(WAIT).until(() -> d.endpoint("ep").inFlight() == 0);

    receiver.respond(aResponse().withStatus(200));
    clock.advance(Duration.ofSeconds(5));
    await().atMost(WAIT).untilAsserted(() -> {
      d.runDue();
      assertThat(count(d, "ep", DeliveryStatus.SUCCEEDED)).isEqualTo(10);
    });
    assertThat(d.endpoint("ep").backpressured()).isFalse();
    assertThat(d.store().pendingCount()).isZero();
    List<VerifiedWebhook> received = receiver.verifyAll(SECRET, clock);
    assertThat(received).as("4 failed first attempts, then 10 successes").hasSize(4 + 10);
    assertThat(received.stream().map(VerifiedWebhook::id).distinct()).hasSize(10);
  }

  @Test
  void aDeliveryTheStoreRefusesIsCountedAsDroppedAndLogged() {
    Receiver receiver = receiver().respond(aResponse().withStatus(500));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS)
        .store(InMemoryDeliveryStore.of(2, Duration.ofDays(1), clock)));

    d.onEvent(providerEvent(clock, "alpha", 1));
    d.onEvent(providerEvent(clock, "beta", 1));
    d.onEvent(providerEvent(clock, "gamma", 1));

    assertThat(d.metrics().accepted()).isEqualTo(2);
    assertThat(d.metrics().dropped()).isEqualTo(1);
    assertThat(d.operatorLog().query(WebhookDispatcher.SERVICE_NAME, null, null,
        OperatorLogRecord.Level.ERROR, null, 10))
        .singleElement().satisfies(r -> {
          assertThat(r.reason()).isEqualTo("WEBHOOK_DELIVERY_DROPPED");
          assertThat(r.message()).contains("evt_p_gamma_1").contains("full");
        });
  }
}
