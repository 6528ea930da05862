package io.cortex.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.cortex.webhooks.Fixtures.loopback;
import static io.cortex.webhooks.Fixtures.manualDispatcher;
import static io.cortex.webhooks.Fixtures.providerEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cortex.core.ManualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's Micrometer meters, against real loopback receivers. */
class WebhookDispatcherMetersTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Two attempts, 5 s apart, no jitter. */
  private static final RetrySchedule TWO_ATTEMPTS =
      RetrySchedule.of(List.of(Duration.ZERO, Duration.ofSeconds(5)), 0);

  private final ManualClock clock = new ManualClock();
  private final WebhookSubscriptions subs = new WebhookSubscriptions();
  private final MeterRegistry registry = new SimpleMeterRegistry();
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

  private double deliveries(String outcome) {
    return registry.get("cortex.webhook.deliveries").tag("outcome", outcome).functionCounter().count();
  }

  private Timer attempts(AttemptOutcome outcome) {
    return registry.get("cortex.webhook.attempts").tag("outcome", outcome.name()).timer();
  }

  private void awaitAttempts(WebhookDispatcher d, String subscription, int n) {
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(d.history(subscription, Instant.EPOCH, 10)).singleElement()
          .satisfies(delivery -> assertThat(delivery.attemptCount()).isEqualTo(n));
      assertThat(d.endpoint(subscription).inFlight()).isZero();
    });
  }

  @Test
  void deliveriesByOutcomeAndAttemptLatencyAgainstAnswers200And500And429AndATimeout() {
    Receiver ok = receiver();
    Receiver flaky = receiver().respondInTurn(aResponse().withStatus(500).withBody("boom"),
        aResponse().withStatus(200));
    Receiver busy = receiver().respond(aResponse().withStatus(429).withHeader("Retry-After", "30"));
    Receiver slow = receiver().respond(aResponse().withStatus(200).withFixedDelay(1_500));
    subs.create(loopback("ok", ok.url()).build());
    subs.create(loopback("flaky", flaky.url()).build());
    subs.create(loopback("busy", busy.url()).build());
    subs.create(loopback("slow", slow.url()).timeout(Duration.ofMillis(300)).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).retrySchedule(TWO_ATTEMPTS)
        .meterRegistry(registry));

    // first attempts: 200, 500, 429, timeout
    d.onEvent(providerEvent(clock, "alpha", 1));
    for (String s : List.of("ok", "flaky", "busy", "slow")) {
      awaitAttempts(d, s, 1);
    }
    assertThat(registry.get("cortex.webhook.deliveries.accepted").functionCounter().count())
        .isEqualTo(4);
    assertThat(deliveries("SUCCEEDED")).isEqualTo(1);
    assertThat(deliveries("FAILED")).isZero();
    assertThat(attempts(AttemptOutcome.SUCCEEDED).count()).isEqualTo(1);
    assertThat(attempts(AttemptOutcome.HTTP_ERROR).count()).isEqualTo(1);
    assertThat(attempts(AttemptOutcome.THROTTLED).count()).isEqualTo(1);
    assertThat(attempts(AttemptOutcome.TIMEOUT).count()).isEqualTo(1);
    assertThat(attempts(AttemptOutcome.TIMEOUT).totalTime(TimeUnit.MILLISECONDS))
        .as("a timed-out attempt lasts at least its timeout").isGreaterThanOrEqualTo(300);
    assertThat(registry.get("cortex.webhook.deliveries.queued").gauge().value())
        .as("three retries wait").isEqualTo(3);

    // the schedule's second attempt after 5 s: 500 became 200, the slow one times out again;
    // the 429 asked for 30 s, so it waits for that
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.runDue()).isEqualTo(2);
    awaitAttempts(d, "flaky", 2);
    awaitAttempts(d, "slow", 2);
    clock.advance(Duration.ofSeconds(25));
    assertThat(d.runDue()).isEqualTo(1);
    awaitAttempts(d, "busy", 2);

    assertThat(deliveries("SUCCEEDED")).isEqualTo(2);
    assertThat(deliveries("FAILED")).isEqualTo(2);
    assertThat(deliveries("ABANDONED")).isZero();
    assertThat(deliveries("DROPPED")).isZero();
    assertThat(attempts(AttemptOutcome.SUCCEEDED).count()).isEqualTo(2);
    assertThat(attempts(AttemptOutcome.THROTTLED).count()).isEqualTo(2);
    assertThat(attempts(AttemptOutcome.TIMEOUT).count()).isEqualTo(2);
    assertThat(attempts(AttemptOutcome.NETWORK_ERROR).count()).isZero();
    assertThat(attempts(AttemptOutcome.SUCCEEDED).max(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(registry.get("cortex.webhook.deliveries.queued").gauge().value()).isZero();
    assertThat(registry.get("cortex.webhook.attempts.active").gauge().value()).isZero();
    assertThat(d.metrics().attempts(AttemptOutcome.TIMEOUT))
        .as("the dispatcher's own counters agree").isEqualTo(2);
  }

  @Test
  void an410DisablesTheEndpointAndCountsIt() {
    Receiver gone = receiver().respond(aResponse().withStatus(410));
    subs.create(loopback("gone", gone.url()).build());
    WebhookDispatcher d = started(manualDispatcher(subs, clock).meterRegistry(registry));

    d.onEvent(providerEvent(clock, "alpha", 1));
    awaitAttempts(d, "gone", 1);

    assertThat(attempts(AttemptOutcome.GONE).count()).isEqualTo(1);
    assertThat(deliveries("FAILED")).isEqualTo(1);
    assertThat(registry.get("cortex.webhook.endpoints.disabled").functionCounter().count())
        .isEqualTo(1);
  }

  @Test
  void everyMeterIsDescribedAndClosingTheDispatcherRemovesThem() {
    WebhookDispatcher d = manualDispatcher(subs, clock).meterRegistry(registry).build();
    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> {
      assertThat(m.getId().getName()).startsWith("cortex.webhook.");
      assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank();
      assertThat(m.getId().getTags()).allSatisfy(t -> assertThat(t.getKey()).isEqualTo("outcome"));
    });

    assertThatThrownBy(() -> manualDispatcher(subs, clock).meterRegistry(registry).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already holds the meters of another webhook dispatcher");

    d.close();
    assertThat(registry.getMeters()).extracting(Meter::getId).isEmpty();
    WebhookDispatcher next = manualDispatcher(subs, clock).meterRegistry(registry).build();
    closeables.add(next);
    assertThat(registry.find("cortex.webhook.deliveries.accepted").functionCounter()).isNotNull();
  }

  @Test
  void theRegistryOptionTakesOnlyAMicrometerRegistry() {
    assertThatThrownBy(() -> WebhookDispatcher.builder().meterRegistry(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("meterRegistry must be a io.micrometer.core.instrument.MeterRegistry");
  }
}
