/**
 * The provider contract test kit: {@link io.cortex.provider.tck.ProviderContractTest} is a JUnit 5
 * test class a provider plugin author extends, supplying the factory, a configuration and a few
 * jobs, to prove the plugin keeps the provider SPI of {@code io.cortex.core.provider}.
 * {@link io.cortex.provider.tck.RecordedUpdates} records the status reports a provider pushes.
 */
package io.cortex.provider.tck;
