/**
 * The Cortex client: {@link io.cortex.client.CortexClient} calls a remote Cortex server's REST API
 * with typed methods grouped as {@code jobs()}, {@code providers()}, {@code webhooks()} and
 * {@code system()}, returns Cortex's model types, retries as {@link io.cortex.client.RetryConfig} says
 * (honouring {@code Retry-After}), and fails with the typed {@link io.cortex.client.CortexApiException}s.
 *
 * <p>{@code io.cortex.client.internal} is implementation: do not import it.
 */
package io.cortex.client;
