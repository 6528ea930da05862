package io.cortex.server;

import java.util.Objects;

/**
 * A key just made by {@link ApiKeys#generate}: the only moment its plaintext token exists outside
 * the caller's hands. Hand the {@link #token()} to the client; the server keeps only its hash.
 * {@link #toString()} never prints the token.
 */
public final class GeneratedApiKey {
    private final ApiKey key;
    private final String token;

    GeneratedApiKey(ApiKey key, String token) {
        this.key = Objects.requireNonNull(key, "key cannot be null");
        this.token = Objects.requireNonNull(token, "token cannot be null");
    }

    /**
     * The key as the server knows it.
     *
     * @return the key
     */
    public ApiKey key() {
        return key;
    }

    /**
     * The key id.
     *
     * @return the id, e.g. {@code key_3f9xk2m1q0ab}
     */
    public String id() {
        return key.id();
    }

    /**
     * The bearer token, to send as {@code Authorization: Bearer <token>}. Shown once: the server
     * cannot give it back later.
     *
     * @return the plaintext token
     */
    public String token() {
        return token;
    }

    /**
     * Describes the key without its token.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "GeneratedApiKey[id=" + key.id() + ", name=" + key.name() + ", scopes=" + key.scopes() + ", token=<redacted>]";
    }
}
