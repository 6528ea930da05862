package io.cortex.core.provider;

import io.cortex.core.job.ReasonCode;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine knows of one provider now.
 *
 * @param id the id
 * @param type the plugin type
 * @param status the status after hysteresis
 * @param reason why it is not ONLINE, or null
 * @param message the last health message
 * @param since when the status last changed
 * @param lastCheck when health was last checked, or null
 * @param consecutiveFailures failed health checks in a row
 * @param jobsInFlight jobs the engine has on it (ASSIGNED or RUNNING)
 * @param capabilities the last capabilities read, or null when never read
 * @param abilities optional abilities it implements: {@code logs}, {@code wallet}, {@code credentials}, {@code endpoints}
 * @param congestedUntil when it reported NO_CAPACITY, placement avoids it until then; null otherwise
 */
public record ProviderInfo(ProviderId id, String type, ProviderStatus status, ReasonCode reason, String message,
        Instant since, Instant lastCheck, int consecutiveFailures, int jobsInFlight, ProviderCapabilities capabilities,
        Set<String> abilities, Instant congestedUntil) {
    /** Copies the abilities. */
    public ProviderInfo {
        abilities = Set.copyOf(abilities);
    }

    /** Why it is not ONLINE, if it is not. */
    public Optional<ReasonCode> reasonCode() {
        return Optional.ofNullable(reason);
    }
}
