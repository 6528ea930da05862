package io.cortex.provider.process;

import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderFactory;

/**
 * Creates {@link ProcessProvider}s of type {@code process} from configuration; the settings are
 * described in {@link ProcessProviderConfig}. An unknown key is an error that lists the known ones.
 */
public final class ProcessProviderFactory implements ProviderFactory {
    /** Needed by {@link java.util.ServiceLoader}; does nothing. */
    public ProcessProviderFactory() {}

    @Override
    public String type() {
        return ProcessProvider.TYPE;
    }

    /**
     * Creates a provider.
     *
     * @throws IllegalArgumentException naming the provider and the key when a setting is invalid
     */
    @Override
    public ComputeProvider create(ProviderContext context) {
        return ProcessProvider.create(context);
    }

    @Override
    public String toString() {
        return "ProcessProviderFactory{type=" + ProcessProvider.TYPE + "}";
    }
}
