package io.cortex.core.config;

import io.cortex.core.provider.ProviderId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One provider of a {@link CortexConfig}: its id, its plugin type, its settings and where its
 * credentials are read from.
 *
 * @param id the provider's id in the engine
 * @param type the plugin type, e.g. {@code process}
 * @param config the settings handed to the plugin's factory
 * @param credentials credential name → where its value is read from
 */
public record ProviderConfig(ProviderId id, String type, Map<String, String> config, Map<String, SecretRef> credentials) {
    /**
     * Validates and copies (keeping the order of the maps).
     *
     * @throws NullPointerException when a field, key or value is null
     * @throws IllegalArgumentException when the type is blank
     */
    public ProviderConfig {
        Objects.requireNonNull(id, "id cannot be null");
        Objects.requireNonNull(type, "type cannot be null");
        if (type.isBlank()) {
            throw new IllegalArgumentException("type of provider " + id + " cannot be blank");
        }
        config = copy(config, "config");
        credentials = copy(credentials, "credentials");
    }

    private static <V> Map<String, V> copy(Map<String, V> map, String name) {
        Objects.requireNonNull(map, name + " cannot be null");
        Map<String, V> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(Objects.requireNonNull(k, name + " key cannot be null"),
                Objects.requireNonNull(v, name + " '" + k + "' cannot be null")));
        return Collections.unmodifiableMap(out);
    }
}
