/**
 * A deterministic, scriptable compute provider for tests and demos: {@link io.cortex.provider.inmemory.InMemoryProvider}.
 */
package io.cortex.provider.inmemory;
