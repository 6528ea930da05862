package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;

/**
 * The provider's own handle for one attempt of a job (a lease id, a process id, a cloud job name).
 *
 * @param value the handle, opaque to the engine
 */
public record ProviderJobRef(String value) {
    /**
     * Validates.
     *
     * @throws NullPointerException when {@code value} is null
     * @throws IllegalArgumentException when blank
     */
    public ProviderJobRef {
        Preconditions.notBlank(value, "providerJobRef");
    }

    /** A handle. */
    public static ProviderJobRef of(String value) {
        return new ProviderJobRef(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
