package io.cortex.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.provider.inmemory.InMemoryProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookDispatcherBuilderTest {

  @Test
  void subscriptionsAreRequired() {
    assertThatIllegalStateException().isThrownBy(() -> WebhookDispatcher.builder().build())
        .withMessage("subscriptions is required but was not set");
  }

  @Test
  void settingAnOptionTwiceSaysWhatItWasSetTo() {
    assertThatIllegalStateException().isThrownBy(() -> WebhookDispatcher.builder()
            .maxInFlightPerEndpoint(2).maxInFlightPerEndpoint(3))
        .withMessage("maxInFlightPerEndpoint already set to 2");
    assertThatIllegalStateException().isThrownBy(() -> WebhookDispatcher.builder()
            .retrySchedule(RetrySchedule.ofDefaults()).retrySchedule(RetrySchedule.ofDefaults()))
        .withMessageStartingWith("retrySchedule already set to RetrySchedule[PT0S, PT5S");
  }

  @Test
  void valuesOutOfRangeNameTheOptionAndTheRule() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebhookDispatcher.builder().maxQueuedPerEndpoint(0))
        .withMessage("maxQueuedPerEndpoint must be 1 to 1000000, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebhookDispatcher.builder().disableAfter(Duration.ofDays(1), 0))
        .withMessageContaining("consecutiveFailures must be at least 1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WebhookDispatcher.builder().maxResponseBodyBytes(1 << 20))
        .withMessageContaining("maxResponseBodyBytes must be 0 to 65536");
    assertThatNullPointerException().isThrownBy(() -> WebhookDispatcher.builder().clock(null))
        .withMessage("clock cannot be null");
  }

  @Test
  void aSecondDispatcherOnOneEngineIsRefusedAndLeavesNothingBehind() {
    ManualClock clock = new ManualClock();
    try (Cortex cortex = Cortex.builder().clock(clock).manual()
        .provider(InMemoryProvider.builder("p").clock(clock).build()).build();
        WebhookDispatcher first = WebhookDispatcher.builder().engine(cortex)
            .subscriptions(new WebhookSubscriptions()).manual().build()) {
      assertThat(first.operatorLog()).isSameAs(cortex.operatorLog());

      assertThatIllegalStateException().isThrownBy(() -> WebhookDispatcher.builder()
              .engine(cortex).subscriptions(new WebhookSubscriptions()).manual().build())
          .withMessageContaining("webhook-dispatcher");
      assertThat(cortex.services()).filteredOn(s -> s.name().equals(WebhookDispatcher.SERVICE_NAME))
          .hasSize(1);
    }
  }
}
