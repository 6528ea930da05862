package io.cortex.server;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the server knows of one API key: never its secret, which is kept only as a SHA-256 hash.
 *
 * @param id the key id, {@code key_} and 12 characters; shown to operators, logged, reported by
 *     {@code GET /api/users/me/permissions}
 * @param name what the key is for, as given when it was generated
 * @param scopes the scopes the key holds, the implied ones included (an {@code admin} key holds
 *     {@code read}, {@code write} and {@code admin})
 * @param createdAt when it was generated
 */
public record ApiKey(String id, String name, Set<Scope> scopes, Instant createdAt) {
    /**
     * Validates and copies.
     *
     * @param id the key id
     * @param name what the key is for
     * @param scopes the scopes held, implied ones included
     * @param createdAt when it was generated
     * @throws NullPointerException when a field is null
     * @throws IllegalArgumentException when {@code scopes} is empty
     */
    public ApiKey {
        Objects.requireNonNull(id, "id cannot be null");
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(scopes, "scopes cannot be null");
        Objects.requireNonNull(createdAt, "createdAt cannot be null");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("scopes must not be empty");
        }
        scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes));
    }

    /**
     * Whether the key may do what {@code scope} allows.
     *
     * @param scope the scope required
     * @return true when one of its scopes includes {@code scope}
     * @throws NullPointerException when {@code scope} is null
     */
    public boolean allows(Scope scope) {
        Objects.requireNonNull(scope, "scope cannot be null");
        return scopes.contains(scope);
    }
}
