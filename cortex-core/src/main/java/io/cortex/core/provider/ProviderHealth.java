package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.ReasonCode;
import java.util.Optional;

/**
 * What a provider said about its own health in one check.
 *
 * @param status the status it reports
 * @param reason why, when not ONLINE (e.g. {@link ReasonCode#AUTH_FAILED}); null when ONLINE
 * @param message a human message, may be empty
 */
public record ProviderHealth(ProviderStatus status, ReasonCode reason, String message) {
    /**
     * Validates.
     *
     * @throws NullPointerException when status or message is null
     */
    public ProviderHealth {
        Preconditions.notNull(status, "status");
        Preconditions.notNull(message, "message");
    }

    /** Healthy. */
    public static ProviderHealth online() {
        return new ProviderHealth(ProviderStatus.ONLINE, null, "");
    }

    /** Answers but with trouble. */
    public static ProviderHealth degraded(ReasonCode reason, String message) {
        return new ProviderHealth(ProviderStatus.DEGRADED, reason, message);
    }

    /** Does not answer. */
    public static ProviderHealth offline(String message) {
        return new ProviderHealth(ProviderStatus.OFFLINE, ReasonCode.PROVIDER_OFFLINE, message);
    }

    /** The reason, if any. */
    public Optional<ReasonCode> reasonCode() {
        return Optional.ofNullable(reason);
    }
}
