/**
 * Building an engine from a configuration file or map: {@link io.cortex.core.config.CortexConfig}
 * reads the providers (id, type, settings, credentials) from Java properties or JSON and adds them to
 * a {@link io.cortex.core.Cortex.Builder}. Credentials are never written inline: each one is a
 * {@link io.cortex.core.config.SecretRef} to an environment variable ({@code env:NAME}) or a file
 * ({@code file:/run/secrets/name}), resolved when the configuration is applied. Every error is a
 * {@link io.cortex.core.config.CortexConfigException} naming the entry and the key.
 */
package io.cortex.core.config;
