/**
 * Implementation detail of {@code cortex-webhooks}: HMAC and Ed25519 plumbing, the IP address
 * classifier behind {@link io.cortex.webhooks.UrlPolicy}, builder helpers.
 *
 * <p><strong>Internal: do not import.</strong> Nothing in this package is public API; it may change
 * or disappear in any release without notice. Use the types in {@link io.cortex.webhooks}.
 */
package io.cortex.webhooks.internal;
