package io.cortex.core.provider;

/**
 * Creates providers of one type. Found with {@link java.util.ServiceLoader}: register the
 * implementation in {@code META-INF/services/io.cortex.core.provider.ProviderFactory}. It needs a
 * public no-argument constructor and must do no work until {@link #create} is called.
 */
public interface ProviderFactory {
    /** The type this factory creates, e.g. {@code inmemory}; unique across the classpath. */
    String type();

    /**
     * Creates a provider.
     *
     * @throws IllegalArgumentException naming the key when the configuration is invalid
     */
    ComputeProvider create(ProviderContext context);
}
