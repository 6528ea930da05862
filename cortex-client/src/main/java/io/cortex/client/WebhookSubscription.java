package io.cortex.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A webhook subscription as the server shows it.
 *
 * @param id the subscription's id
 * @param url where events are posted
 * @param events the event types it receives, e.g. {@code job.status.changed}; {@code *} for all
 * @param timeout how long a delivery may take
 * @param enabled whether deliveries are made
 * @param description free text, may be empty
 * @param metadata the operator's key-value notes, may be empty
 * @param secretFingerprints fingerprints of its signing secrets (never the secrets), to tell them apart
 *     during a rotation
 * @param secret the signing secret ({@code whsec_…}): only in the answer to
 *     {@link WebhooksApi#create(NewWebhook)}, null otherwise; redacted by {@link #toString()}
 * @param endpointStatus how deliveries to it are going, or null when the server has no dispatcher
 */
public record WebhookSubscription(String id, String url, List<String> events, Duration timeout, boolean enabled,
        String description, Map<String, String> metadata, List<String> secretFingerprints, String secret,
        EndpointStatus endpointStatus) {
    /**
     * Copies the collections; null becomes empty.
     *
     * @param id the id
     * @param url where events are posted
     * @param events the event types
     * @param timeout the delivery timeout
     * @param enabled whether deliveries are made
     * @param description free text
     * @param metadata the operator's notes
     * @param secretFingerprints fingerprints of its secrets
     * @param secret the secret, only right after creation
     * @param endpointStatus how deliveries are going, or null
     */
    public WebhookSubscription {
        events = events == null ? List.of() : List.copyOf(events);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        secretFingerprints = secretFingerprints == null ? List.of() : List.copyOf(secretFingerprints);
    }

    /**
     * The signing secret, present only right after creation.
     *
     * @return the secret
     */
    public Optional<String> signingSecret() {
        return Optional.ofNullable(secret);
    }

    /** Everything but the secret. */
    @Override
    public String toString() {
        return "WebhookSubscription{id=" + id + ", url=" + url + ", events=" + events + ", timeout=" + timeout
                + ", enabled=" + enabled + ", description=" + description + ", secretFingerprints="
                + secretFingerprints + (secret == null ? "" : ", secret=****") + ", endpointStatus=" + endpointStatus
                + "}";
    }

    /**
     * How deliveries to one subscription are going.
     *
     * @param subscriptionId the subscription
     * @param enabled whether deliveries are made
     * @param queued deliveries waiting
     * @param inFlight deliveries being attempted now
     * @param backpressured whether new events are held back because too many wait
     * @param consecutiveFailures failed attempts in a row
     * @param failingSince when the failures in a row began, or null
     * @param lastAttemptAt the last attempt, or null
     * @param lastSuccessAt the last success, or null
     */
    public record EndpointStatus(String subscriptionId, boolean enabled, int queued, int inFlight,
            boolean backpressured, int consecutiveFailures, Instant failingSince, Instant lastAttemptAt,
            Instant lastSuccessAt) {}
}
