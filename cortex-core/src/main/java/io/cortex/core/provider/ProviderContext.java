package io.cortex.core.provider;

import io.cortex.core.internal.Preconditions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link ProviderFactory} gets to build a provider: its id, configuration, credentials,
 * clock, and where to push status changes.
 *
 * @param id the provider's id in this engine
 * @param config string settings, e.g. {@code maxCpu=8000}
 * @param credentials secrets; never log them
 * @param clock the engine's clock: use it for every time the provider reports
 * @param updates where to push status changes
 */
public record ProviderContext(ProviderId id, Map<String, String> config, Credentials credentials, Clock clock,
        ProviderUpdates updates) {
    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a field is null
     */
    public ProviderContext {
        Preconditions.notNull(id, "id");
        config = Map.copyOf(Preconditions.notNull(config, "config"));
        Preconditions.notNull(credentials, "credentials");
        Preconditions.notNull(clock, "clock");
        Preconditions.notNull(updates, "updates");
    }

    /** A setting, if present. */
    public Optional<String> setting(String key) {
        return Optional.ofNullable(config.get(key));
    }

    /**
     * An integer setting, or {@code defaultValue} when absent.
     *
     * @throws IllegalArgumentException naming the provider and key when the value is not an integer
     */
    public int intSetting(String key, int defaultValue) {
        String v = config.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("provider " + id + ": setting '" + key + "' must be an integer, got '" + v + "'");
        }
    }

    @Override
    public String toString() {
        return "ProviderContext{id=" + id + ", config=" + config + ", credentials=" + credentials + "}";
    }
}
