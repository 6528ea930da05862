/**
 * Webhooks in the <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> wire format.
 *
 * <p>Senders sign with {@link io.cortex.webhooks.WebhookSigner}, receivers check with
 * {@link io.cortex.webhooks.WebhookVerifier}; keys are {@link io.cortex.webhooks.WebhookSecret}
 * ({@code whsec_}, HMAC-SHA256, {@code v1}) or {@link io.cortex.webhooks.WebhookSigningKey} /
 * {@link io.cortex.webhooks.WebhookPublicKey} ({@code whsk_} / {@code whpk_}, Ed25519,
 * {@code v1a}). Endpoints are {@link io.cortex.webhooks.WebhookSubscription}s kept in
 * {@link io.cortex.webhooks.WebhookSubscriptions}, guarded against SSRF by
 * {@link io.cortex.webhooks.UrlPolicy}.
 */
package io.cortex.webhooks;
