package io.cortex.client;

import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.service.ServiceState;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code GET /api/health} says.
 *
 * @param status {@code UP}, {@code DEGRADED} or {@code DOWN}
 * @param timestamp when the server answered
 * @param store what the server says of its job store, by name: {@code status}, {@code description},
 *     {@code durable}, and {@code error} when it is down
 * @param providers each provider's status, by provider id
 * @param services each engine service's state, by name
 */
public record Health(String status, Instant timestamp, Map<String, Object> store, Map<String, ProviderStatus> providers,
        Map<String, ServiceState> services) {
    /**
     * Copies the maps; null becomes empty.
     *
     * @param status {@code UP}, {@code DEGRADED} or {@code DOWN}
     * @param timestamp when the server answered
     * @param store what the server says of its job store
     * @param providers each provider's status
     * @param services each engine service's state
     */
    public Health {
        store = store == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(store));
        providers = providers == null ? Map.of() : Map.copyOf(providers);
        services = services == null ? Map.of() : Map.copyOf(services);
    }

    /**
     * True when the server says it is {@code UP}.
     *
     * @return whether everything is up
     */
    public boolean isUp() {
        return "UP".equalsIgnoreCase(status);
    }

    /**
     * True when the server says it is {@code DOWN} (it answers 503 then, which
     * {@link SystemApi#health()} still reads as a health report).
     *
     * @return whether it is down
     */
    public boolean isDown() {
        return "DOWN".equalsIgnoreCase(status);
    }
}
