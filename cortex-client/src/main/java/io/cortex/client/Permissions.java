package io.cortex.client;

import java.util.Set;

/**
 * What the calling API key may do ({@code GET /api/users/me/permissions}).
 *
 * @param key the key's id (never the key itself)
 * @param name the key's name, as the operator gave it
 * @param scopes its scopes: {@code read}, {@code write}, {@code admin}
 */
public record Permissions(String key, String name, Set<String> scopes) {
    /**
     * Copies the scopes; null becomes empty.
     *
     * @param key the key's id
     * @param name the key's name
     * @param scopes its scopes
     */
    public Permissions {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    /**
     * True when the key has {@code scope}. Scopes are stated as given: {@code admin} implies the others
     * on the server, but only what is listed counts here.
     *
     * @param scope e.g. {@code admin}
     * @return whether it is listed
     */
    public boolean has(String scope) {
        return scopes.contains(scope);
    }
}
