package io.cortex.client;

/**
 * HTTP 401: the server did not accept the API key (missing, unknown or revoked). Not retried.
 */
public final class AuthenticationException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param details the call and the server's answer
     * @throws NullPointerException when {@code details} is null
     */
    public AuthenticationException(ErrorDetails details) {
        super(details, "the API key is missing, unknown or revoked", null);
    }
}
