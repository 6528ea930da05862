package io.cortex.core.provider;

/**
 * Optional ability: a provider built outside a {@link ProviderFactory} (handed to the engine as an
 * instance) that pushes status changes. The engine hands it the callback once, before first use.
 * Providers made by a factory get the callback in their {@link ProviderContext} instead.
 */
public interface StatusPushing {
    /** Where to push status changes from now on. */
    void pushStatusTo(ProviderUpdates updates);
}
