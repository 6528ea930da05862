package io.cortex.webhooks;

import java.time.Instant;
import java.util.Optional;

/**
 * What the {@link WebhookDispatcher} knows of one endpoint right now.
 *
 * @param subscriptionId the subscription
 * @param enabled whether the subscription is enabled (false once the dispatcher disabled it)
 * @param queued pending deliveries held in memory for it, in flight included
 * @param inFlight attempts under way
 * @param backpressured whether further pending deliveries wait in the {@link DeliveryStore}
 *     because its in-memory queue is full
 * @param consecutiveFailures attempts in a row that failed; 0 after a success
 * @param failingSince when the first of those failures happened, or null
 * @param lastAttemptAt when the last attempt ended, or null
 * @param lastSuccessAt when the last attempt succeeded, or null
 */
public record WebhookEndpointStatus(String subscriptionId, boolean enabled, int queued,
    int inFlight, boolean backpressured, int consecutiveFailures, Instant failingSince,
    Instant lastAttemptAt, Instant lastSuccessAt) {

  /**
   * Returns when the current run of failures began.
   *
   * @return the time of its first failure, or empty when the last attempt succeeded
   */
  public Optional<Instant> failingSinceTime() {
    return Optional.ofNullable(failingSince);
  }
}
