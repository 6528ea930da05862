package io.cortex.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One event's delivery to one webhook subscription, with its attempts.
 *
 * @param id the message id, the {@code webhook-id} header of every attempt (receivers deduplicate on it)
 * @param subscriptionId the subscription
 * @param eventId the engine event's id
 * @param eventType e.g. {@code job.status.changed}
 * @param orderingKey deliveries with one key reach the endpoint in order (the job id, {@code provider:<id>})
 * @param payload the JSON body sent on every attempt
 * @param createdAt when the dispatcher accepted it
 * @param status {@code PENDING}, {@code SUCCEEDED}, {@code FAILED} or {@code ABANDONED}
 * @param nextAttemptAt when the next attempt is due, null unless pending
 * @param roundAttempts attempts since it was last queued
 * @param attempts the attempts, oldest first
 */
public record WebhookDelivery(String id, String subscriptionId, String eventId, String eventType, String orderingKey,
        String payload, Instant createdAt, String status, Instant nextAttemptAt, int roundAttempts,
        List<Attempt> attempts) {
    /**
     * Copies the attempts; null becomes empty.
     *
     * @param id the message id
     * @param subscriptionId the subscription
     * @param eventId the event id
     * @param eventType the event type
     * @param orderingKey the ordering key
     * @param payload the body
     * @param createdAt when accepted
     * @param status where it stands
     * @param nextAttemptAt when the next attempt is due
     * @param roundAttempts attempts since last queued
     * @param attempts the attempts
     */
    public WebhookDelivery {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /**
     * One attempt to deliver.
     *
     * @param number from 1
     * @param at when it was made
     * @param outcome {@code SUCCEEDED}, {@code HTTP_ERROR}, {@code TIMEOUT}, {@code NETWORK_ERROR}…
     * @param statusCode the endpoint's HTTP status, 0 when it did not answer
     * @param latency how long it took
     * @param responseBody the start of the endpoint's answer, or null
     * @param responseBodyTruncated whether the body was cut
     * @param error why it failed, or null
     */
    public record Attempt(int number, Instant at, String outcome, int statusCode, Duration latency,
            String responseBody, boolean responseBodyTruncated, String error) {}
}
