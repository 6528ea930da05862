package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Secrets a provider needs (API key, secret, token, wallet key…). Never printed: {@link #toString()}
 * shows only the names of the values and the expiry.
 */
public final class Credentials {
    /** No credentials. */
    public static final Credentials NONE = new Credentials(Map.of(), null);

    private final Map<String, String> values;
    private final Instant expiresAt;

    private Credentials(Map<String, String> values, Instant expiresAt) {
        this.values = values;
        this.expiresAt = expiresAt;
    }

    /**
     * Credentials from name → secret pairs, e.g. {@code of(Map.of("apiKey", k, "secret", s))}.
     *
     * @throws NullPointerException when the map, a name or a value is null
     * @throws IllegalArgumentException when a name is blank
     */
    public static Credentials of(Map<String, String> values) {
        return of(values, null);
    }

    /**
     * Credentials that expire at {@code expiresAt} (null for never).
     *
     * @throws NullPointerException when the map, a name or a value is null
     * @throws IllegalArgumentException when a name is blank
     */
    public static Credentials of(Map<String, String> values, Instant expiresAt) {
        Preconditions.notNull(values, "credentials");
        Map<String, String> copy = new TreeMap<>();
        values.forEach((k, v) -> {
            Preconditions.notBlank(k, "credential name");
            Preconditions.notNull(v, "credential '" + k + "'");
            copy.put(k, v);
        });
        return new Credentials(Collections.unmodifiableMap(copy), expiresAt);
    }

    /** The secret named {@code name}, if present. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** All name → secret pairs. Handle with care: these are secrets. */
    public Map<String, String> values() {
        return values;
    }

    /** When these credentials stop working, if known. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** True when an expiry is known and not after {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    /** True when there is no secret at all. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.values.equals(values) && java.util.Objects.equals(c.expiresAt, expiresAt);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Names only, values redacted. */
    @Override
    public String toString() {
        return "Credentials{" + String.join(", ", values.keySet().stream().map(k -> k + "=****").toList())
                + (expiresAt != null ? ", expiresAt=" + expiresAt : "") + "}";
    }
}
