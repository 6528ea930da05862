package io.cortex.client;

/**
 * HTTP 404: the job, provider, webhook or service named in the call does not exist (or was
 * dropped by retention). Not retried.
 */
public final class ResourceNotFoundException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param details the call and the server's answer
     * @throws NullPointerException when {@code details} is null
     */
    public ResourceNotFoundException(ErrorDetails details) {
        super(details, "not found", null);
    }
}
