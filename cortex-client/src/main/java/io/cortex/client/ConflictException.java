package io.cortex.client;

/**
 * HTTP 409, or 422 of problem type {@code idempotency-mismatch}: the call conflicts with the current
 * state: an illegal job transition (cancelling a finished job, updating the resources of a job that
 * is no longer pending), a version clash, or an {@code Idempotency-Key} reused with another request
 * body. Not retried: read the current state and decide.
 */
public final class ConflictException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param details the call and the server's answer
     * @throws NullPointerException when {@code details} is null
     */
    public ConflictException(ErrorDetails details) {
        super(details, "conflict with the current state", null);
    }
}
