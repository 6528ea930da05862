package io.cortex.core.event;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderStatus;
import java.time.Instant;

/**
 * A change of a provider.
 *
 * @param provider the provider
 * @param from its status before
 * @param to its status after (equal to {@code from} for wallet and credential events)
 * @param reason why
 * @param message human words
 * @param timestamp when
 */
public record ProviderChange(ProviderId provider, ProviderStatus from, ProviderStatus to, ReasonCode reason,
        String message, Instant timestamp) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a field is null
     */
    public ProviderChange {
        Preconditions.notNull(provider, "provider");
        Preconditions.notNull(from, "from");
        Preconditions.notNull(to, "to");
        Preconditions.notNull(reason, "reason");
        Preconditions.notNull(message, "message");
        Preconditions.notNull(timestamp, "timestamp");
    }
}
