package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One event to be delivered to one endpoint, with the history of its attempts: what the
 * {@link WebhookDispatcher} keeps in a {@link DeliveryStore}. Immutable; the dispatcher replaces it
 * in the store after each change.
 *
 * <p>The {@linkplain #id() id} is the {@code webhook-id} header of every attempt: it is derived
 * from the event id and the subscription id, so it is the same on each retry, on a manual
 * redelivery and when the engine publishes the same event again after a crash. Receivers
 * deduplicate on it.
 *
 * @param id the message id, {@code msg_} and 26 characters; the {@code webhook-id}
 * @param subscriptionId the endpoint's subscription
 * @param eventId the engine event's stable id
 * @param eventType the event type, e.g. {@code job.status.changed}
 * @param orderingKey deliveries with the same key reach one endpoint in order: the job id for job
 *     events, {@code provider:<id>} for provider events
 * @param payload the JSON body, exactly as sent on every attempt
 * @param createdAt when the dispatcher accepted it
 * @param status where it stands
 * @param nextAttemptAt when the next attempt is due; null unless {@link DeliveryStatus#PENDING}
 * @param roundAttempts attempts made since the delivery was last queued (accepted or redelivered);
 *     indexes the {@link RetrySchedule}
 * @param attempts the attempts, oldest first; at most {@value #MAX_ATTEMPTS_KEPT}, the newest
 */
public record Delivery(String id, String subscriptionId, String eventId, String eventType,
    String orderingKey, String payload, Instant createdAt, DeliveryStatus status,
    Instant nextAttemptAt, int roundAttempts, List<DeliveryAttempt> attempts) {

  /** Most attempts kept in a delivery's history; older ones are dropped. */
  public static final int MAX_ATTEMPTS_KEPT = 100;

  /**
   * Validates and copies.
   *
   * @param id the message id
   * @param subscriptionId the subscription
   * @param eventId the event id
   * @param eventType the event type
   * @param orderingKey the ordering key
   * @param payload the body
   * @param createdAt when accepted
   * @param status the status
   * @param nextAttemptAt when the next attempt is due, required exactly when pending
   * @param roundAttempts not negative
   * @param attempts the attempts, oldest first
   * @throws NullPointerException if a field other than {@code nextAttemptAt} is null
   * @throws IllegalArgumentException if {@code nextAttemptAt} is null for a pending delivery or
   *     set for a final one, or {@code roundAttempts} is negative
   */
  public Delivery {
    checkNotNull(id, "id");
    checkNotNull(subscriptionId, "subscriptionId");
    checkNotNull(eventId, "eventId");
    checkNotNull(eventType, "eventType");
    checkNotNull(orderingKey, "orderingKey");
    checkNotNull(payload, "payload");
    checkNotNull(createdAt, "createdAt");
    checkNotNull(status, "status");
    checkNotNull(attempts, "attempts");
    checkArgument((nextAttemptAt == null) == status.isFinal(),
        "nextAttemptAt must be set exactly when the delivery is PENDING, but status is " + status
            + " and nextAttemptAt " + nextAttemptAt);
    checkArgument(roundAttempts >= 0, "roundAttempts must not be negative, was " + roundAttempts);
    attempts = List.copyOf(attempts.size() <= MAX_ATTEMPTS_KEPT ? attempts
        : attempts.subList(attempts.size() - MAX_ATTEMPTS_KEPT, attempts.size()));
  }

  /**
   * Returns a new pending delivery, due at once.
   *
   * @param id the message id
   * @param subscriptionId the subscription
   * @param eventId the event id
   * @param eventType the event type
   * @param orderingKey the ordering key
   * @param payload the body
   * @param now when accepted, and when the first attempt is due
   * @return the delivery
   * @throws NullPointerException if an argument is null
   */
  public static Delivery pending(String id, String subscriptionId, String eventId,
      String eventType, String orderingKey, String payload, Instant now) {
    return new Delivery(id, subscriptionId, eventId, eventType, orderingKey, payload, now,
        DeliveryStatus.PENDING, now, 0, List.of());
  }

  /**
   * Returns the newest attempt.
   *
   * @return the last attempt, or empty if none was made
   */
  public Optional<DeliveryAttempt> lastAttempt() {
    return attempts.isEmpty() ? Optional.empty()
        : Optional.of(attempts.get(attempts.size() - 1));
  }

  /**
   * Returns how many attempts were made in all (more than {@link #attempts()} holds once old
   * ones were dropped).
   *
   * @return the number of the last attempt, or 0
   */
  public int attemptCount() {
    return lastAttempt().map(DeliveryAttempt::number).orElse(0);
  }

  /** This delivery with {@code attempt} appended, in {@code status}, next due at {@code next}. */
  Delivery withAttempt(DeliveryAttempt attempt, DeliveryStatus newStatus, Instant next) {
    List<DeliveryAttempt> all = new ArrayList<>(attempts.size() + 1);
    all.addAll(attempts);
    all.add(attempt);
    return new Delivery(id, subscriptionId, eventId, eventType, orderingKey, payload, createdAt,
        newStatus, next, roundAttempts + 1, all);
  }

  /** This delivery queued again from the start of the retry schedule, due at {@code now}. */
  Delivery requeued(Instant now) {
    return new Delivery(id, subscriptionId, eventId, eventType, orderingKey, payload, createdAt,
        DeliveryStatus.PENDING, now, 0, attempts);
  }

  /** This pending delivery due at {@code at}, keeping its place in the schedule. */
  Delivery dueAt(Instant at) {
    return new Delivery(id, subscriptionId, eventId, eventType, orderingKey, payload, createdAt,
        DeliveryStatus.PENDING, at, roundAttempts, attempts);
  }

  /** This delivery given up without an attempt. */
  Delivery abandoned() {
    return new Delivery(id, subscriptionId, eventId, eventType, orderingKey, payload, createdAt,
        DeliveryStatus.ABANDONED, null, roundAttempts, attempts);
  }

  /**
   * Describes the delivery without its payload.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "Delivery[id=" + id + ", subscriptionId=" + subscriptionId + ", eventId=" + eventId
        + ", eventType=" + eventType + ", status=" + status + ", nextAttemptAt=" + nextAttemptAt
        + ", attempts=" + attemptCount() + "]";
  }
}
