package io.cortex.server.internal;

import io.cortex.core.Cortex;
import io.cortex.server.ApiKeys;
import io.cortex.server.RateLimit;
import io.cortex.webhooks.UrlPolicy;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookSubscriptions;
import java.time.Clock;
import java.time.Duration;

/**
 * The validated configuration of one server, built by {@code CortexServer.Builder}.
 *
 * @param cortex the engine served
 * @param apiKeys the keys accepted
 * @param rateLimit the bucket of each key
 * @param clock where time comes from (the engine's by default)
 * @param maxBodyBytes the largest request body accepted
 * @param idempotencyMaxKeys how many idempotency keys are remembered at most
 * @param idempotencyMaxAge how long an idempotency key is remembered at most
 * @param webhooks the subscriptions served, or null when webhooks are not configured
 * @param dispatcher the dispatcher whose history is served, or null
 * @param webhookUrlPolicy the URL policy new subscriptions get
 * @param prometheusRegistry the {@code PrometheusMeterRegistry} to serve (typed Object: Micrometer is optional), or
 *     null to serve the one the engine records into, if any
 * @param events the event stream's replay window and its clients
 * @param console whether the operator console is served at {@code /console/}
 */
public record Settings(Cortex cortex, ApiKeys apiKeys, RateLimit rateLimit, Clock clock, long maxBodyBytes,
        int idempotencyMaxKeys, Duration idempotencyMaxAge, WebhookSubscriptions webhooks, WebhookDispatcher dispatcher,
        UrlPolicy webhookUrlPolicy, Object prometheusRegistry, EventStreams events, boolean console) {}
