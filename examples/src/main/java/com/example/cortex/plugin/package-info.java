/**
 * A sample third-party provider plugin, written only against Cortex's public provider SPI
 * ({@code io.cortex.core.provider}): {@link com.example.cortex.plugin.AcmeProviderFactory} (type
 * {@code acme}) makes {@link com.example.cortex.plugin.AcmeProvider}s that run jobs on "Acme Cloud",
 * a pay-per-use compute service. The service is simulated in-process by
 * {@link com.example.cortex.plugin.AcmeCloud}; a real plugin would call the service's HTTP API in
 * its place. The guide {@code docs/writing-a-provider-plugin.md} walks through it.
 */
package com.example.cortex.plugin;
