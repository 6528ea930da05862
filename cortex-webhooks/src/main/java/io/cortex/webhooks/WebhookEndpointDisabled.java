package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.net.URI;
import java.time.Instant;

/**
 * The {@link WebhookDispatcher} disabled an endpoint: it answered {@code 410 Gone}, or every
 * attempt failed for too long or too many times in a row. Its type is
 * {@code webhook.endpoint.disabled} ({@link #TYPE}). Listeners added with
 * {@link WebhookDispatcher#addEndpointDisabledListener} receive it, and it is delivered as a
 * webhook to the other subscriptions whose filters match that type.
 *
 * @param id a unique id, {@code evt_w_…}
 * @param subscriptionId the disabled subscription
 * @param url its URL
 * @param reason why, in words
 * @param consecutiveFailures how many attempts in a row had failed
 * @param failingSince when the first of those failures happened
 * @param timestamp when the endpoint was disabled
 */
public record WebhookEndpointDisabled(String id, String subscriptionId, URI url, String reason,
    int consecutiveFailures, Instant failingSince, Instant timestamp) {

  /** The event type, equal to {@code io.cortex.core.event.EventTypes.WEBHOOK_ENDPOINT_DISABLED}. */
  public static final String TYPE = WebhookEventTypes.WEBHOOK_ENDPOINT_DISABLED;

  /**
   * Validates.
   *
   * @param id the id
   * @param subscriptionId the subscription
   * @param url the URL
   * @param reason why
   * @param consecutiveFailures failures in a row
   * @param failingSince first failure of the run
   * @param timestamp when disabled
   * @throws NullPointerException if a field is null
   */
  public WebhookEndpointDisabled {
    checkNotNull(id, "id");
    checkNotNull(subscriptionId, "subscriptionId");
    checkNotNull(url, "url");
    checkNotNull(reason, "reason");
    checkNotNull(failingSince, "failingSince");
    checkNotNull(timestamp, "timestamp");
  }

  /**
   * Returns the event type.
   *
   * @return {@value WebhookEventTypes#WEBHOOK_ENDPOINT_DISABLED}
   */
  public String type() {
    return TYPE;
  }
}
