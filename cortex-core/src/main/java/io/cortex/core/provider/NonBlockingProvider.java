package io.cortex.core.provider;

/**
 * Marks a {@link ComputeProvider} whose calls never block (in-memory, simulations): the engine then
 * calls it on the calling thread instead of handing each call to a worker thread.
 */
public interface NonBlockingProvider {}
