package io.cortex.core.job;

import io.cortex.core.util.Preconditions;
import io.cortex.core.provider.ProviderId;

/**
 * Why placement skipped (or chose) one provider for a job.
 *
 * @param provider the provider
 * @param reason the code, e.g. {@link ReasonCode#RESOURCES_EXCEED_CAPABILITIES}; {@link ReasonCode#PLACED} when chosen
 * @param detail the specifics in plain words, e.g. "memory 64Gi exceeds maxMemory 16Gi"
 */
public record PlacementNote(ProviderId provider, ReasonCode reason, String detail) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a field is null
     */
    public PlacementNote {
        Preconditions.notNull(provider, "provider");
        Preconditions.notNull(reason, "reason");
        Preconditions.notNull(detail, "detail");
    }

    @Override
    public String toString() {
        return provider + ": " + reason + " (" + detail + ")";
    }
}
