package io.cortex.client;

import java.util.List;

/**
 * HTTP 400, 413 or 422: the server rejected the request as invalid; {@link #fieldErrors()} says which
 * fields and why. Not retried: the same request would fail again.
 */
public final class ValidationException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param details the call and the server's answer
     * @throws NullPointerException when {@code details} is null
     */
    public ValidationException(ErrorDetails details) {
        super(details, "invalid request", null);
    }

    /**
     * The invalid fields the server listed.
     *
     * @return the field errors, empty when the server named none
     */
    public List<FieldError> fieldErrors() {
        return problem().map(Problem::errors).orElse(List.of());
    }
}
