/**
 * A compute provider that runs each job's command as a process on the local machine, without a
 * container: {@link io.cortex.provider.process.ProcessProvider}, created by
 * {@link io.cortex.provider.process.ProcessProviderFactory} (type {@code process}) and configured
 * with {@link io.cortex.provider.process.ProcessProviderConfig}.
 */
package io.cortex.provider.process;
