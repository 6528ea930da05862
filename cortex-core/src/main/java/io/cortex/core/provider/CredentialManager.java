package io.cortex.core.provider;

/** Optional ability: a provider whose credentials can be replaced or refreshed while it runs. */
public interface CredentialManager {
    /**
     * Replaces the credentials.
     *
     * @throws ProviderException with {@code AUTH_FAILED} when the provider refuses them
     */
    void updateCredentials(Credentials credentials);

    /**
     * Obtains fresh credentials (a new token from a refresh token, a re-signed session…).
     *
     * @throws ProviderException with {@code AUTH_FAILED} when refresh is impossible
     */
    void refreshCredentials();
}
