package io.cortex.webhooks;

import io.cortex.core.ManualClock;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderStatus;
import java.time.Duration;
import java.util.List;

/** Shared data builders for the dispatcher tests. */
final class Fixtures {

  static final WebhookSecret SECRET = WebhookSecret.parse(SpecVectors.SECRET);

  /** 0 s, 5 s, 5 min without jitter: three attempts, exact times. */
  static final RetrySchedule THREE_ATTEMPTS = RetrySchedule.of(
      List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5)), 0);

  private Fixtures() {}

  /**
   * A subscription to a loopback receiver for every event type. Loopback needs both relaxations,
   * set explicitly here; the values are inherited, so a test may override each once.
   */
  static WebhookSubscription.Builder loopback(String id, String url) {
    return WebhookSubscription.builder().id(id).url(url).eventTypes(WebhookEventTypes.ALL)
        .secrets(SECRET).allowPlainHttp(true).allowPrivateAddresses(true).build().toBuilder();
  }

  /** A dispatcher builder driven by hand on {@code clock}, with a short drain timeout. */
  static WebhookDispatcher.Builder manualDispatcher(WebhookSubscriptions subs, ManualClock clock) {
    return WebhookDispatcher.builder().subscriptions(subs).clock(clock).manual()
        .drainTimeout(Duration.ofMillis(200));
  }

  /**
   * A provider event; events of one provider share an ordering key, events of different
   * providers do not.
   */
  static CortexEvent providerEvent(ManualClock clock, String provider, int n) {
    return CortexEvent.of("evt_p_" + provider + "_" + n, EventTypes.PROVIDER_STATUS_CHANGED,
        new ProviderChange(ProviderId.of(provider), ProviderStatus.ONLINE, ProviderStatus.OFFLINE,
            ReasonCode.PROVIDER_OFFLINE, "change " + n + " of " + provider, clock.instant()));
  }
}
