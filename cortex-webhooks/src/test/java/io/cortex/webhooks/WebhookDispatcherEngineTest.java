package io.cortex.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.cortex.webhooks.Fixtures.SECRET;
import static io.cortex.webhooks.Fixtures.loopback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.event.EventTypes;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.metrics.DeliveryCounts;
import io.cortex.core.metrics.HistoryRange;
import io.cortex.core.metrics.MetricsSample;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.service.ServiceInfo;
import io.cortex.core.service.ServiceState;
import io.cortex.provider.inmemory.InMemoryProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher wired into a real engine, driven by hand, with the in-memory provider. */
class WebhookDispatcherEngineTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock();
  private final WebhookSubscriptions subs = new WebhookSubscriptions();
  private final Receiver receiver = new Receiver();
  private final InMemoryProvider cloud = InMemoryProvider.builder("cloud").clock(clock)
      .capabilities(ProviderCapabilities.of(2000, "4Gi", "20Gi")).price("0.40", "USD").build();
  private final Cortex cortex = Cortex.builder().clock(clock).manual().provider(cloud).build();

  private WebhookDispatcher dispatcher;

  @AfterEach
  void close() {
    cortex.close();
    if (dispatcher != null) {
      dispatcher.close();
    }
    receiver.close();
  }

  private WebhookDispatcher wire(WebhookDispatcher.Builder customised) {
    dispatcher = customised.engine(cortex).subscriptions(subs).manual().build();
    return dispatcher;
  }

  private static JobSpec.Builder aJob() {
    return JobSpec.builder().image("acme/train:1").resources(1000, "1Gi", "1Gi");
  }

  @Test
  void oneLineWiringListensToTheEngineAndRunsAsItsService() {
    subs.create(loopback("ep", receiver.url()).eventTypes(EventTypes.JOB_STATUS_CHANGED).build());
    WebhookDispatcher dispatcher = wire(WebhookDispatcher.builder());

    assertThat(cortex.service(WebhookDispatcher.SERVICE_NAME).state())
        .isEqualTo(ServiceState.RUNNING);
    Job job = cortex.submit(aJob().build());
    assertThat(cortex.job(job.id()).state()).isEqualTo(JobState.SUCCEEDED);

    await().atMost(WAIT).until(() -> receiver.requests().size() == 3);
    assertThat(receiver.bodies()).extracting(b -> b.at("/data/change/from").asText() + ">"
            + b.at("/data/change/to").asText())
        .containsExactly("pending>assigned", "assigned>running", "running>succeeded");
    assertThat(receiver.bodies()).allSatisfy(b -> {
      assertThat(b.get("type").asText()).isEqualTo(EventTypes.JOB_STATUS_CHANGED);
      assertThat(b.at("/data/job/id").asText()).isEqualTo(job.id().value());
    });
    assertThat(receiver.bodies().get(2).at("/data/job/state").asText()).isEqualTo("succeeded");
    assertThat(receiver.verifyAll(SECRET, clock)).hasSize(3);

    ServiceInfo restarted = cortex.restartService(WebhookDispatcher.SERVICE_NAME);
    assertThat(restarted.state()).isEqualTo(ServiceState.RUNNING);
    assertThat(restarted.restarts()).isEqualTo(1);
    assertThat(dispatcher.isRunning()).isTrue();
  }

  @Test
  void eventsReachTheDeliveryStoreInsideTheListenerCallEvenWhileTheServiceIsStopped() {
    subs.create(loopback("ep", receiver.url()).eventTypes(EventTypes.JOB_STATUS_CHANGED).build());
    WebhookDispatcher dispatcher = wire(WebhookDispatcher.builder());
    cortex.stopService(WebhookDispatcher.SERVICE_NAME);
    assertThat(cortex.service(WebhookDispatcher.SERVICE_NAME).state())
        .isEqualTo(ServiceState.STOPPED);

    cortex.submit(aJob().build());

    assertThat(cortex.store().outboxSize()).as("the engine acknowledged the events").isZero();
    assertThat(dispatcher.store().pendingCount()).as("and the dispatcher holds them").isEqualTo(3);
    assertThat(receiver.requests()).isEmpty();

    cortex.restartService(WebhookDispatcher.SERVICE_NAME);
    await().atMost(WAIT).until(() -> receiver.requests().size() == 3);
    assertThat(dispatcher.store().pendingCount()).isZero();
    receiver.verifyAll(SECRET, clock);
  }

  @Test
  void aFailedJobsWebhookCarriesTheReasonThePlacementAndNoEnvironmentValues() {
    subs.create(loopback("ep", receiver.url()).build());
    wire(WebhookDispatcher.builder());

    Job job = cortex.submit(aJob().resources(8000, "1Gi", "1Gi").env("API_KEY", "s3cr3t").build());

    assertThat(cortex.job(job.id()).state()).isEqualTo(JobState.FAILED);
    await().atMost(WAIT).until(() -> receiver.bodies().stream()
        .anyMatch(b -> b.at("/data/job/state").asText().equals("failed")));
    JsonNode failed = receiver.bodies().stream()
        .filter(b -> b.at("/data/job/state").asText().equals("failed")).findFirst().orElseThrow();
    assertThat(failed.get("type").asText()).isEqualTo(EventTypes.JOB_STATUS_CHANGED);
    assertThat(failed.at("/data/reason/code").asText()).isEqualTo("RESOURCES_EXCEED_CAPABILITIES");
    assertThat(failed.at("/data/reason/message").asText()).isNotBlank();
    assertThat(failed.at("/data/reason/suggestedAction").asText()).isNotBlank();
    assertThat(failed.at("/data/placement/0/provider").asText()).isEqualTo("cloud");
    assertThat(failed.at("/data/placement/0/reason").asText())
        .isEqualTo("RESOURCES_EXCEED_CAPABILITIES");
    assertThat(failed.at("/data/job/spec/env/API_KEY").asText()).isEqualTo("<redacted>");
    assertThat(receiver.requests()).allSatisfy(r ->
        assertThat(r.getBodyAsString()).doesNotContain("s3cr3t"));
    receiver.verifyAll(SECRET, clock);
  }

  @Test
  void deliveriesOfOneJobReachAnEndpointInTheJobsOrder() {
    receiver.respond(aResponse().withStatus(200).withUniformRandomDelay(0, 15));
    subs.create(loopback("ep", receiver.url()).eventTypes("job.*").build());
    wire(WebhookDispatcher.builder().maxInFlightPerEndpoint(8));
    int jobs = 12;

    for (int i = 0; i < jobs; i++) {
      cortex.submit(aJob().build());
    }

    int expected = jobs * 4;   // submitted, assigned, running, succeeded
    await().atMost(WAIT).until(() -> receiver.requests().size() == expected);
    Map<String, List<Long>> versionsByJob = new HashMap<>();
    for (JsonNode b : receiver.bodies()) {
      versionsByJob.computeIfAbsent(b.at("/data/job/id").asText(), k -> new ArrayList<>())
          .add(b.at("/data/change/version").asLong());
    }
    assertThat(versionsByJob).hasSize(jobs);
    assertThat(versionsByJob.values()).allSatisfy(v -> assertThat(v).isSorted().hasSize(4)
        .doesNotHaveDuplicates());
    assertThat(receiver.verifyAll(SECRET, clock)).hasSize(expected);
  }

  @Test
  void attemptOutcomesLandInTheEnginesMetricsHistory() throws Exception {
    try (Receiver down = new Receiver()) {
      down.respond(aResponse().withStatus(500));
      subs.create(loopback("ok", receiver.url()).eventTypes(EventTypes.JOB_STATUS_CHANGED).build());
      subs.create(loopback("down", down.url()).eventTypes(EventTypes.JOB_STATUS_CHANGED).build());
      WebhookDispatcher dispatcher = wire(WebhookDispatcher.builder());

      cortex.submit(aJob().build());
      // the job's three events reach "ok"; "down" fails the first and holds the rest behind its retry
      await().atMost(WAIT).until(() -> dispatcher.metrics().attempts(AttemptOutcome.SUCCEEDED) == 3
          && dispatcher.metrics().attempts(AttemptOutcome.HTTP_ERROR) == 1);
      clock.advance(Duration.ofMinutes(1));
      cortex.tick();
      dispatcher.close();
      clock.advance(Duration.ofMinutes(1));
      cortex.tick();

      assertThat(cortex.metricsHistory().samples()).extracting(MetricsSample::deliveries)
          .containsExactly(new DeliveryCounts(3, 1), DeliveryCounts.NONE);
      assertThat(cortex.metricsHistory().series(HistoryRange.HOUR).points()).first()
          .extracting(MetricsSample::deliveries).isEqualTo(new DeliveryCounts(3, 1));
    }
  }
}
