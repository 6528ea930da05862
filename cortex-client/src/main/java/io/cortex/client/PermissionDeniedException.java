package io.cortex.client;

/**
 * HTTP 403: the API key is valid but lacks the scope the call needs ({@code read}, {@code write},
 * {@code admin}); {@code client.system().permissions()} lists the key's scopes. Not retried.
 */
public final class PermissionDeniedException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param details the call and the server's answer
     * @throws NullPointerException when {@code details} is null
     */
    public PermissionDeniedException(ErrorDetails details) {
        super(details, "the API key lacks the scope this call needs", null);
    }
}
