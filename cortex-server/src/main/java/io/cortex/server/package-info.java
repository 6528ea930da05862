/**
 * Serves an embedded {@link io.cortex.core.Cortex} engine over the REST API of
 * {@code docs/rest-api.md}: {@link io.cortex.server.CortexServer} (started with
 * {@code CortexServer.builder().cortex(engine).start()}), bearer {@link io.cortex.server.ApiKeys}
 * with {@link io.cortex.server.Scope scopes}, and per-key {@link io.cortex.server.RateLimit rate
 * limits}.
 *
 * <p>Classes in {@code io.cortex.server.internal} are implementation detail: do not import them.
 */
package io.cortex.server;
