/**
 * Webhooks in the <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> wire format.
 *
 * <p>Senders sign with {@link io.cortex.webhooks.WebhookSigner}, receivers check with
 * {@link io.cortex.webhooks.WebhookVerifier}; keys are {@link io.cortex.webhooks.WebhookSecret}
 * ({@code whsec_}, HMAC-SHA256, {@code v1}) or {@link io.cortex.webhooks.WebhookSigningKey} /
 * {@link io.cortex.webhooks.WebhookPublicKey} ({@code whsk_} / {@code whpk_}, Ed25519,
 * {@code v1a}). These need nothing of cortex-core. Endpoints are
 * {@link io.cortex.webhooks.WebhookSubscription}s kept in
 * {@link io.cortex.webhooks.WebhookSubscriptions}, guarded against SSRF by
 * {@link io.cortex.webhooks.UrlPolicy}.
 *
 * <p>{@link io.cortex.webhooks.WebhookDispatcher} delivers the engine's events to them: payloads
 * {@code {"type", "timestamp", "data"}}, a {@link io.cortex.webhooks.RetrySchedule} with jitter,
 * per-endpoint queues, a {@link io.cortex.webhooks.Delivery} history per attempt kept in a
 * {@link io.cortex.webhooks.DeliveryStore} (by default the bounded
 * {@link io.cortex.webhooks.InMemoryDeliveryStore}), endpoints disabled after sustained failure
 * ({@link io.cortex.webhooks.WebhookEndpointDisabled}), manual redelivery, and
 * {@link io.cortex.webhooks.DispatcherMetrics}.
 */
package io.cortex.webhooks;
