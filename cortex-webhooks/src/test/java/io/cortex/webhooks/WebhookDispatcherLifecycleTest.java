package io.cortex.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.cortex.webhooks.Fixtures.SECRET;
import static io.cortex.webhooks.Fixtures.THREE_ATTEMPTS;
import static io.cortex.webhooks.Fixtures.loopback;
import static io.cortex.webhooks.Fixtures.manualDispatcher;
import static io.cortex.webhooks.Fixtures.providerEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.ManualClock;
import io.cortex.core.event.EventTypes;
import io.cortex.core.log.OperatorLogRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redelivery, disabling, shutdown and restart. */
class WebhookDispatcherLifecycleTest {

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

  private static List<Delivery> history(WebhookDispatcher d, String subscriptionId) {
    return d.history(subscriptionId, Instant.EPOCH, 1000);
  }

  private static void awaitSettled(WebhookDispatcher d, String subscriptionId) {
    await().atMost(WAIT).until(() -> d.endpoint(subscriptionId).inFlight() == 0);
  }

  @Test
  void oneDeliveryIsRedeliveredByHandWithItsWebhookId() {
    Receiver receiver = receiver();
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock));
    d.onEvent(providerEvent(clock, "alpha", 1));
    await().atMost(WAIT).until(() -> receiver.requests().size() == 1);
    awaitSettled(d, "ep");
    Delivery delivered = history(d, "ep").get(0);
    assertThat(delivered.status()).isEqualTo(DeliveryStatus.SUCCEEDED);

    clock.advance(Duration.ofMinutes(1));
    Delivery queued = d.redeliver(delivered.id());

    assertThat(queued.status()).isEqualTo(DeliveryStatus.PENDING);
    await().atMost(WAIT).untilAsserted(() -> assertThat(d.delivery(delivered.id()))
        .hasValueSatisfying(x -> assertThat(x.attemptCount()).isEqualTo(2)));
    Delivery after = d.delivery(delivered.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
    assertThat(after.attempts()).extracting(DeliveryAttempt::at)
        .containsExactly(delivered.createdAt(), delivered.createdAt().plus(Duration.ofMinutes(1)));
    assertThat(receiver.verifyAll(SECRET, clock)).extracting(VerifiedWebhook::id)
        .containsExactly(delivered.id(), delivered.id());
    assertThat(d.metrics().redelivered()).isEqualTo(1);
    assertThatThrownBy(() -> d.redeliver("msg_unknown")).isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("msg_unknown");
  }

  @Test
  void everythingThatFailedSinceATimeIsRedeliveredOnceTheEndpointWorks() {
    Receiver receiver = receiver().respond(aResponse().withStatus(500));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock)
        .retrySchedule(RetrySchedule.of(List.of(Duration.ZERO), 0)));
    d.onEvent(providerEvent(clock, "alpha", 1));
    awaitSettled(d, "ep");
    clock.advance(Duration.ofMinutes(10));
    Instant since = clock.instant();
    d.onEvent(providerEvent(clock, "alpha", 2));
    d.onEvent(providerEvent(clock, "beta", 1));
    await().atMost(WAIT).untilAsserted(() -> assertThat(history(d, "ep"))
        .extracting(Delivery::status).containsOnly(DeliveryStatus.FAILED).hasSize(3));

    receiver.respond(aResponse().withStatus(200));
    int n = d.redeliverSince("ep", since, false);

    assertThat(n).isEqualTo(2);
    await().atMost(WAIT).untilAsserted(() -> assertThat(history(d, "ep"))
        .extracting(Delivery::status)
        .containsExactly(DeliveryStatus.FAILED, DeliveryStatus.SUCCEEDED,
            DeliveryStatus.SUCCEEDED));
    assertThat(d.redeliverSince("ep", since, false)).as("nothing failed any more").isZero();
    assertThat(d.redeliverSince("ep", since, true)).isEqualTo(2);
    receiver.verifyAll(SECRET, clock);
  }

  @Test
  void anEndpointIsDisabledAfterConsecutiveFailuresAndThatIsAnnounced() {
    Receiver failing = receiver().respond(aResponse().withStatus(500));
    Receiver watcher = receiver();
    subs.create(loopback("failing", failing.url()).eventTypes("provider.*").build());
    subs.create(loopback("watcher", watcher.url())
        .eventTypes(EventTypes.WEBHOOK_ENDPOINT_DISABLED).build());
    List<WebhookEndpointDisabled> announced = new ArrayList<>();
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS)
        .disableAfter(Duration.ofDays(5), 3).maxInFlightPerEndpoint(1));
    d.addEndpointDisabledListener(announced::add);

    d.onEvent(providerEvent(clock, "alpha", 1));
    d.onEvent(providerEvent(clock, "beta", 1));
    await().atMost(WAIT).until(() -> d.endpoint("failing").consecutiveFailures() == 2);
    assertThat(announced).isEmpty();
    d.onEvent(providerEvent(clock, "gamma", 1));
    clock.advance(Duration.ofSeconds(5));
    d.runDue();
    await().atMost(WAIT).until(() -> !announced.isEmpty());
    awaitSettled(d, "failing");

    assertThat(subs.get("failing")).hasValueSatisfying(s -> assertThat(s.enabled()).isFalse());
    WebhookEndpointDisabled event = announced.get(0);
    assertThat(event.type()).isEqualTo(EventTypes.WEBHOOK_ENDPOINT_DISABLED);
    assertThat(event.consecutiveFailures()).isEqualTo(3);
    assertThat(event.reason()).contains("3 attempts in a row failed");
    assertThat(history(d, "failing")).extracting(Delivery::status)
        .containsOnly(DeliveryStatus.ABANDONED);
    assertThat(d.metrics().endpointsDisabled()).isEqualTo(1);
    assertThat(d.operatorLog().query(WebhookDispatcher.SERVICE_NAME, null, null,
        OperatorLogRecord.Level.WARN, null, 10))
        .anySatisfy(r -> assertThat(r.reason()).isEqualTo("WEBHOOK_ENDPOINT_DISABLED"));

    await().atMost(WAIT).until(() -> watcher.requests().size() == 1);
    JsonNode body = watcher.bodies().get(0);
    assertThat(body.get("type").asText()).isEqualTo(EventTypes.WEBHOOK_ENDPOINT_DISABLED);
    assertThat(body.at("/data/endpoint/subscriptionId").asText()).isEqualTo("failing");
    assertThat(body.at("/data/consecutiveFailures").asInt()).isEqualTo(3);
    watcher.verifyAll(SECRET, clock);
    failing.verifyAll(SECRET, clock);
  }

  @Test
  void anEndpointWhoseAttemptsAllFailedForFiveDaysIsDisabled() {
    Receiver failing = receiver().respond(aResponse().withStatus(502));
    subs.create(loopback("ep", failing.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock)
        .retrySchedule(RetrySchedule.of(
            List.of(Duration.ZERO, Duration.ofDays(3), Duration.ofDays(3)), 0)));

    d.onEvent(providerEvent(clock, "alpha", 1));
    awaitSettled(d, "ep");
    clock.advance(Duration.ofDays(3));
    d.runDue();
    awaitSettled(d, "ep");
    assertThat(subs.get("ep").orElseThrow().enabled()).as("failing for 3 days").isTrue();
    clock.advance(Duration.ofDays(3));
    d.runDue();
    awaitSettled(d, "ep");

    assertThat(subs.get("ep").orElseThrow().enabled()).as("failing for 6 days").isFalse();
    assertThat(d.endpoint("ep").failingSinceTime()).contains(history(d, "ep").get(0).createdAt());
  }

  @Test
  void stopHandsUndeliveredDeliveriesBackToTheStoreAndAnotherDispatcherResumesThem() {
    Receiver receiver = receiver().respond(aResponse().withStatus(200).withFixedDelay(1500));
    subs.create(loopback("ep", receiver.url()).build());
    InMemoryDeliveryStore store = InMemoryDeliveryStore.ofDefaults(clock);
    WebhookDispatcher first = started(manualDispatcher(subs, clock).store(store)
        .retrySchedule(THREE_ATTEMPTS).maxInFlightPerEndpoint(2));
    for (int i = 0; i < 5; i++) {
      first.onEvent(providerEvent(clock, "p" + i, 1));
    }
    assertThat(first.endpoint("ep").inFlight()).isEqualTo(2);

    first.stop();
    assertThat(first.operatorLog().query(WebhookDispatcher.SERVICE_NAME, null, null, null, null,
        10)).anySatisfy(r -> assertThat(r.message())
            .contains("5 undelivered deliveries handed back").contains("2 attempts under way"));
    first.onEvent(providerEvent(clock, "late", 1));   // arrives while stopped: stored

    assertThat(first.isRunning()).isFalse();
    assertThat(store.pendingCount()).isEqualTo(6);
    assertThat(store.list("ep", Instant.EPOCH, 10)).allSatisfy(x -> {
      assertThat(x.status()).isEqualTo(DeliveryStatus.PENDING);
      assertThat(x.attempts()).as("cut short, not counted").isEmpty();
    });
    first.close();

    receiver.respond(aResponse().withStatus(200));
    WebhookDispatcher second = started(manualDispatcher(subs, clock).store(store));
    await().atMost(WAIT).until(() -> store.pendingCount() == 0);
    assertThat(store.list("ep", Instant.EPOCH, 10)).extracting(Delivery::status)
        .containsOnly(DeliveryStatus.SUCCEEDED).hasSize(6);
    assertThat(second.metrics().succeeded()).isEqualTo(6);
    receiver.verifyAll(SECRET, clock);
  }

  @Test
  void anEventPublishedAgainIsDeliveredOnce() {
    Receiver receiver = receiver();
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock));

    d.onEvent(providerEvent(clock, "alpha", 1));
    d.onEvent(providerEvent(clock, "alpha", 1));

    assertThat(d.metrics().accepted()).isEqualTo(1);
    assertThat(history(d, "ep")).hasSize(1);
  }

  @Test
  void aRestartedDispatcherKeepsDelivering() {
    Receiver receiver = receiver();
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock));
    d.stop();
    d.onEvent(providerEvent(clock, "alpha", 1));
    assertThat(receiver.requests()).isEmpty();

    d.start();

    await().atMost(WAIT).until(() -> receiver.requests().size() == 1);
    assertThat(d.isRunning()).isTrue();
    d.close();
    assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void withoutManualModeATimerMakesTheRetriesOnTime() {
    Receiver receiver = receiver().respondInTurn(aResponse().withStatus(500),
        aResponse().withStatus(500), aResponse().withStatus(200));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(WebhookDispatcher.builder().subscriptions(subs)
        .retrySchedule(RetrySchedule.of(
            List.of(Duration.ZERO, Duration.ofMillis(300), Duration.ofMillis(300)), 0))
        .tickInterval(Duration.ofMillis(20)));

    d.onEvent(providerEvent(clock, "alpha", 1));

    assertThat(d.isRunning()).isTrue();
    await().atMost(WAIT).untilAsserted(() -> assertThat(history(d, "ep")).singleElement()
        .satisfies(x -> assertThat(x.status()).isEqualTo(DeliveryStatus.SUCCEEDED)));
    List<DeliveryAttempt> attempts = history(d, "ep").get(0).attempts();
    assertThat(attempts).hasSize(3);
    assertThat(Duration.between(attempts.get(0).at(), attempts.get(2).at()))
        .as("two 300 ms delays, counted from each failure").isGreaterThanOrEqualTo(Duration.ofMillis(600));
    receiver.verifyAll(SECRET, java.time.Clock.systemUTC());
    d.stop();
    assertThat(d.isRunning()).isFalse();
  }

  @Test
  void theDeliveriesOfADeletedSubscriptionAreAbandoned() {
    Receiver receiver = receiver().respond(aResponse().withStatus(500));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS));
    d.onEvent(providerEvent(clock, "alpha", 1));
    awaitSettled(d, "ep");

    subs.delete("ep");
    clock.advance(Duration.ofSeconds(5));

    assertThat(d.runDue()).isZero();
    assertThat(history(d, "ep")).singleElement()
        .satisfies(x -> assertThat(x.status()).isEqualTo(DeliveryStatus.ABANDONED));
    assertThat(receiver.requests()).hasSize(1);
  }
}
