package io.cortex.core.job;

import io.cortex.core.util.Preconditions;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * One placement of a job on a provider.
 *
 * @param number from 1
 * @param provider where it was placed
 * @param ref the provider's handle, null until the provider returned one
 * @param assignedAt when the provider was chosen
 * @param startedAt when it started running, null if it did not
 * @param endedAt when the attempt ended, null while it lasts
 * @param outcome how it ended (the reason it ended), null while it lasts
 * @param cost what it cost, when known (or estimated at the end), else zero
 */
public record Attempt(int number, ProviderId provider, ProviderJobRef ref, Instant assignedAt, Instant startedAt,
        Instant endedAt, ReasonCode outcome, BigDecimal cost) {
    /**
     * Validates.
     *
     * @throws NullPointerException when provider, assignedAt or cost is null
     */
    public Attempt {
        Preconditions.argument(number >= 1, "attempt number must be at least 1, got %d", number);
        Preconditions.notNull(provider, "provider");
        Preconditions.notNull(assignedAt, "assignedAt");
        Preconditions.notNull(cost, "cost");
    }

    /** A fresh attempt. */
    public static Attempt begin(int number, ProviderId provider, Instant at) {
        return new Attempt(number, provider, null, at, null, null, null, BigDecimal.ZERO);
    }

    /** The provider's handle, once known. */
    public Optional<ProviderJobRef> providerRef() {
        return Optional.ofNullable(ref);
    }

    /** True while the attempt has not ended. */
    public boolean isOpen() {
        return endedAt == null;
    }

    Attempt withRef(ProviderJobRef value) {
        return new Attempt(number, provider, value, assignedAt, startedAt, endedAt, outcome, cost);
    }

    Attempt started(Instant at) {
        return new Attempt(number, provider, ref, assignedAt, at, endedAt, outcome, cost);
    }

    Attempt ended(Instant at, ReasonCode why, BigDecimal spent) {
        return new Attempt(number, provider, ref, assignedAt, startedAt, at, why, spent == null ? cost : spent);
    }
}
