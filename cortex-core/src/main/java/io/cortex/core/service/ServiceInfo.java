package io.cortex.core.service;

import java.time.Instant;
import java.util.Optional;

/**
 * What an operator sees of one engine service.
 *
 * @param name e.g. {@code scheduler}, {@code provider-monitor}, {@code event-dispatcher}, {@code metrics}
 * @param description what it does
 * @param state where it stands
 * @param since when it entered that state
 * @param lastRun when it last did its work, or null
 * @param runs how many times it did its work
 * @param restarts how many times it was restarted
 * @param failure why it failed, or null
 */
public record ServiceInfo(String name, String description, ServiceState state, Instant since, Instant lastRun, long runs,
        int restarts, String failure) {
    /** The failure, when FAILED. */
    public Optional<String> failureMessage() {
        return Optional.ofNullable(failure);
    }
}
