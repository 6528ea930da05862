package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.Quantity;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
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

    /**
     * A duration setting written as ISO-8601 ({@code PT5S}) or as milliseconds ({@code 5000}), or
     * {@code defaultValue} when absent.
     *
     * @throws IllegalArgumentException naming the provider and key when the value is not a non-negative duration
     */
    public Duration durationSetting(String key, Duration defaultValue) {
        String v = config.get(key);
        if (v == null) {
            return defaultValue;
        }
        String t = v.trim();
        try {
            Duration d = t.matches("[0-9]+") ? Duration.ofMillis(Long.parseLong(t)) : Duration.parse(t);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("provider " + id + ": setting '" + key
                + "' must be a non-negative ISO-8601 duration like PT5S or milliseconds, got '" + v + "'");
    }

    /**
     * A quantity setting such as {@code 16Gi}, or {@code defaultValue} when absent.
     *
     * @throws IllegalArgumentException naming the provider and key when the value is not a quantity
     */
    public Quantity quantitySetting(String key, Quantity defaultValue) {
        String v = config.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Quantity.parse(key, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider " + id + ": setting " + e.getMessage(), e);
        }
    }

    /**
     * A non-negative decimal setting such as a price ({@code 0.25}), or {@code defaultValue} when absent.
     *
     * @throws IllegalArgumentException naming the provider and key when the value is not a non-negative decimal
     */
    public BigDecimal decimalSetting(String key, BigDecimal defaultValue) {
        String v = config.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            BigDecimal d = new BigDecimal(v.trim());
            if (d.signum() >= 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("provider " + id + ": setting '" + key
                + "' must be a non-negative decimal number, got '" + v + "'");
    }

    @Override
    public String toString() {
        return "ProviderContext{id=" + id + ", config=" + config + ", credentials=" + credentials + "}";
    }
}
