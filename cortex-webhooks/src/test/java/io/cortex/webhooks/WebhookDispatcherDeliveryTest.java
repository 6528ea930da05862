package io.cortex.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.cortex.webhooks.Fixtures.SECRET;
import static io.cortex.webhooks.Fixtures.THREE_ATTEMPTS;
import static io.cortex.webhooks.Fixtures.loopback;
import static io.cortex.webhooks.Fixtures.manualDispatcher;
import static io.cortex.webhooks.Fixtures.providerEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import io.cortex.core.ManualClock;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.log.OperatorLogRecord;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one delivery does against a real loopback receiver, answer by answer. */
class WebhookDispatcherDeliveryTest {

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

  private Delivery onlyDelivery(WebhookDispatcher d, String subscriptionId) {
    List<Delivery> all = d.history(subscriptionId, Instant.EPOCH, 10);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private void awaitAttempts(WebhookDispatcher d, String subscriptionId, int attempts) {
    await().atMost(WAIT).untilAsserted(() -> {
      Delivery delivery = onlyDelivery(d, subscriptionId);
      assertThat(delivery.attemptCount()).isEqualTo(attempts);
      assertThat(d.endpoint(subscriptionId).inFlight()).isZero();
    });
  }

  @Test
  void deliversASignedStandardWebhooksPayloadTheReceiverVerifies() {
    Receiver receiver = receiver();
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock));
    CortexEvent event = providerEvent(clock, "alpha", 1);

    d.onEvent(event);

    awaitAttempts(d, "ep", 1);
    Delivery delivery = onlyDelivery(d, "ep");
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
    assertThat(receiver.verifyAll(SECRET, clock)).singleElement()
        .satisfies(v -> assertThat(v.id()).isEqualTo(delivery.id()))
        .satisfies(v -> assertThat(v.timestamp()).isEqualTo(clock.instant()));
    JsonNode body = receiver.bodies().get(0);
    assertThat(body.get("type").asText()).isEqualTo(EventTypes.PROVIDER_STATUS_CHANGED);
    assertThat(body.get("timestamp").asText()).isEqualTo(event.timestamp().toString());
    assertThat(body.at("/data/eventId").asText()).isEqualTo(event.id());
    assertThat(body.at("/data/provider/provider").asText()).isEqualTo("alpha");
    assertThat(body.at("/data/provider/to").asText()).isEqualTo("offline");
    assertThat(receiver.requests().get(0).getHeader("Content-Type")).startsWith("application/json");
    assertThat(d.metrics().attempts(AttemptOutcome.SUCCEEDED)).isEqualTo(1);
    assertThat(d.metrics().succeeded()).isEqualTo(1);
  }

  @Test
  void http500IsRetriedOnScheduleWithTheSameWebhookIdUntilItSucceeds() {
    Receiver receiver = receiver().respondInTurn(
        aResponse().withStatus(500).withBody("boom"), aResponse().withStatus(204));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS));

    d.onEvent(providerEvent(clock, "alpha", 1));
    awaitAttempts(d, "ep", 1);
    Delivery afterFirst = onlyDelivery(d, "ep");
    assertThat(afterFirst.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(afterFirst.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(5));

    clock.advance(Duration.ofSeconds(4));
    assertThat(d.runDue()).as("not due before 5 s").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(d.runDue()).isEqualTo(1);
    awaitAttempts(d, "ep", 2);

    Delivery delivery = onlyDelivery(d, "ep");
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
    assertThat(delivery.attempts()).extracting(DeliveryAttempt::outcome)
        .containsExactly(AttemptOutcome.HTTP_ERROR, AttemptOutcome.SUCCEEDED);
    assertThat(delivery.attempts()).extracting(DeliveryAttempt::statusCode).containsExactly(500, 204);
    List<VerifiedWebhook> verified = receiver.verifyAll(SECRET, clock);
    assertThat(verified).extracting(VerifiedWebhook::id).containsExactly(delivery.id(), delivery.id());
    assertThat(verified.get(1).timestamp()).isEqualTo(verified.get(0).timestamp().plusSeconds(5));
    assertThat(receiver.requests().get(0).getBody()).isEqualTo(receiver.requests().get(1).getBody());
  }

  @Test
  void anAnswerSlowerThanTheTimeoutIsAFailedAttemptThatIsRetried() {
    Receiver receiver = receiver().respond(aResponse().withStatus(200).withFixedDelay(10_000));
    subs.create(loopback("ep", receiver.url()).timeout(Duration.ofMillis(300)).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS));

    d.onEvent(providerEvent(clock, "alpha", 1));

    awaitAttempts(d, "ep", 1);
    Delivery delivery = onlyDelivery(d, "ep");
    DeliveryAttempt attempt = delivery.attempts().get(0);
    assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.TIMEOUT);
    assertThat(attempt.statusCode()).isZero();
    assertThat(attempt.latency()).isBetween(Duration.ofMillis(250), Duration.ofSeconds(9));
    assertThat(attempt.error()).contains("timeout");
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(delivery.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(5));
  }

  @Test
  void aConnectionResetIsRetried() {
    Receiver receiver = receiver().respondInTurn(
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), aResponse().withStatus(200));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS));

    d.onEvent(providerEvent(clock, "alpha", 1));
    awaitAttempts(d, "ep", 1);
    clock.advance(Duration.ofSeconds(5));
    d.runDue();
    awaitAttempts(d, "ep", 2);

    Delivery delivery = onlyDelivery(d, "ep");
    assertThat(delivery.attempts()).extracting(DeliveryAttempt::outcome)
        .containsExactly(AttemptOutcome.NETWORK_ERROR, AttemptOutcome.SUCCEEDED);
    assertThat(delivery.attempts().get(0).error()).isNotBlank();
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
    assertThat(receiver.verifyAll(SECRET, clock)).hasSize(2);
  }

  @Test
  void aRedirectIsAFailedAttemptAndIsNotFollowedToItsPrivateTarget() {
    Receiver target = receiver();
    String internal = "http://127.0.0.1:" + target.server.port() + Receiver.PATH;
    Receiver receiver = receiver()
        .respond(aResponse().withStatus(302).withHeader("Location", internal));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS));

    d.onEvent(providerEvent(clock, "alpha", 1));

    awaitAttempts(d, "ep", 1);
    DeliveryAttempt attempt = onlyDelivery(d, "ep").attempts().get(0);
    assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.REDIRECTED);
    assertThat(attempt.statusCode()).isEqualTo(302);
    assertThat(attempt.error()).contains("not followed").contains("127.0.0.1");
    assertThat(onlyDelivery(d, "ep").status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(receiver.requests()).hasSize(1);
    assertThat(target.requests()).as("the redirect target").isEmpty();
  }

  @Test
  void aHostThatResolvesToAPrivateAddressIsRefusedBeforeConnecting() throws Exception {
    Receiver receiver = receiver();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    OkHttpClient rebinding = new OkHttpClient.Builder().dns(host -> List.of(loopback)).build();
    subs.create(WebhookSubscription.builder().id("ep")
        .url("http://hooks.example.test:" + receiver.server.port() + Receiver.PATH)
        .eventTypes(WebhookEventTypes.ALL).secrets(SECRET)
        .allowPlainHttp(true).allowPrivateAddresses(false).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS)
        .httpClient(rebinding));

    d.onEvent(providerEvent(clock, "alpha", 1));

    awaitAttempts(d, "ep", 1);
    DeliveryAttempt attempt = onlyDelivery(d, "ep").attempts().get(0);
    assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.ADDRESS_REFUSED);
    assertThat(attempt.error()).contains("hooks.example.test").contains("127.0.0.1")
        .contains("loopback");
    assertThat(receiver.requests()).isEmpty();
    assertThat(d.metrics().attempts(AttemptOutcome.ADDRESS_REFUSED)).isEqualTo(1);
  }

  @Test
  void http410GoneFailsTheDeliveryAndDisablesTheEndpoint() {
    Receiver receiver = receiver().respond(aResponse().withStatus(410));
    subs.create(loopback("ep", receiver.url()).build());
    List<WebhookEndpointDisabled> disabled = new ArrayList<>();
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS)
        .onEndpointDisabled(disabled::add));

    d.onEvent(providerEvent(clock, "alpha", 1));

    awaitAttempts(d, "ep", 1);
    Delivery delivery = onlyDelivery(d, "ep");
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(delivery.attempts().get(0).outcome()).isEqualTo(AttemptOutcome.GONE);
    assertThat(subs.get("ep")).hasValueSatisfying(s -> assertThat(s.enabled()).isFalse());
    assertThat(disabled).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(EventTypes.WEBHOOK_ENDPOINT_DISABLED);
      assertThat(e.subscriptionId()).isEqualTo("ep");
      assertThat(e.reason()).contains("410");
    });
    assertThat(d.operatorLog().query(WebhookDispatcher.SERVICE_NAME, null, null,
        OperatorLogRecord.Level.WARN, null, 10))
        .anySatisfy(r -> assertThat(r.message()).contains("ep").contains("disabled"));

    d.onEvent(providerEvent(clock, "alpha", 2));
    assertThat(d.history("ep", Instant.EPOCH, 10)).as("a disabled endpoint gets nothing new")
        .hasSize(1);
  }

  @Test
  void retryAfterOn429And503IsHonouredUpToTheBound() {
    Receiver receiver = receiver().respondInTurn(
        aResponse().withStatus(429).withHeader("Retry-After", "30"),
        aResponse().withStatus(200),
        aResponse().withStatus(503).withHeader("Retry-After", "86400"),
        aResponse().withStatus(200));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS)
        .maxRetryAfter(Duration.ofMinutes(2)));

    d.onEvent(providerEvent(clock, "alpha", 1));
    awaitAttempts(d, "ep", 1);
    Delivery throttled = onlyDelivery(d, "ep");
    assertThat(throttled.attempts().get(0).outcome()).isEqualTo(AttemptOutcome.THROTTLED);
    assertThat(throttled.nextAttemptAt()).as("30 s asked, 5 s scheduled")
        .isEqualTo(clock.instant().plusSeconds(30));
    clock.advance(Duration.ofSeconds(10));
    assertThat(d.runDue()).as("the schedule alone would retry now").isZero();
    clock.advance(Duration.ofSeconds(20));
    assertThat(d.runDue()).isEqualTo(1);
    awaitAttempts(d, "ep", 2);
    assertThat(onlyDelivery(d, "ep").status()).isEqualTo(DeliveryStatus.SUCCEEDED);

    d.onEvent(providerEvent(clock, "beta", 1));
    await().atMost(WAIT).untilAsserted(() -> assertThat(d.history("ep", Instant.EPOCH, 10))
        .last().satisfies(x -> assertThat(x.attemptCount()).isEqualTo(1)));
    Delivery bounded = d.history("ep", Instant.EPOCH, 10).get(1);
    assertThat(bounded.attempts().get(0).statusCode()).isEqualTo(503);
    assertThat(bounded.nextAttemptAt()).as("a day asked, two minutes allowed")
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
    receiver.verifyAll(SECRET, clock);
  }

  @Test
  void historyKeepsStatusLatencyTruncatedBodyAndError() {
    String big = "x".repeat(10_000);
    Receiver receiver = receiver().respondInTurn(
        aResponse().withStatus(500).withBody(big).withFixedDelay(60),
        aResponse().withStatus(200).withBody("thanks"));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS)
        .maxResponseBodyBytes(1024));

    Instant first = clock.instant();
    d.onEvent(providerEvent(clock, "alpha", 1));
    awaitAttempts(d, "ep", 1);
    clock.advance(Duration.ofSeconds(5));
    d.runDue();
    awaitAttempts(d, "ep", 2);

    List<DeliveryAttempt> attempts = onlyDelivery(d, "ep").attempts();
    DeliveryAttempt failedAttempt = attempts.get(0);
    assertThat(failedAttempt.number()).isEqualTo(1);
    assertThat(failedAttempt.at()).isEqualTo(first);
    assertThat(failedAttempt.statusCode()).isEqualTo(500);
    assertThat(failedAttempt.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(60));
    assertThat(failedAttempt.responseBody()).hasSize(1024).isEqualTo(big.substring(0, 1024));
    assertThat(failedAttempt.responseBodyTruncated()).isTrue();
    assertThat(failedAttempt.error()).isEqualTo("HTTP 500");
    DeliveryAttempt ok = attempts.get(1);
    assertThat(ok.number()).isEqualTo(2);
    assertThat(ok.at()).isEqualTo(first.plusSeconds(5));
    assertThat(ok.responseBody()).isEqualTo("thanks");
    assertThat(ok.responseBodyTruncated()).isFalse();
    assertThat(ok.errorMessage()).isEmpty();
  }

  @Test
  void aDeliveryFailsWhenTheScheduleIsExhausted() {
    Receiver receiver = receiver().respond(aResponse().withStatus(500));
    subs.create(loopback("ep", receiver.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(THREE_ATTEMPTS));

    d.onEvent(providerEvent(clock, "alpha", 1));
    awaitAttempts(d, "ep", 1);
    clock.advance(Duration.ofSeconds(5));
    d.runDue();
    awaitAttempts(d, "ep", 2);
    clock.advance(Duration.ofMinutes(5));
    d.runDue();
    awaitAttempts(d, "ep", 3);

    Delivery delivery = onlyDelivery(d, "ep");
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(delivery.nextAttemptAt()).isNull();
    clock.advance(Duration.ofHours(1));
    assertThat(d.runDue()).isZero();
    assertThat(d.metrics().failed()).isEqualTo(1);
    assertThat(d.metrics().attempts(AttemptOutcome.HTTP_ERROR)).isEqualTo(3);
    assertThat(receiver.verifyAll(SECRET, clock)).extracting(VerifiedWebhook::id).containsOnly(delivery.id());
  }
}
