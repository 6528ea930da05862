package io.cortex.client;

/**
 * The server answered, but not as the REST contract says: a status the contract does not use (a
 * redirect, 405, 415…), or a body the client cannot read (malformed JSON, a field of the wrong type).
 * Often a proxy or a base URL that points elsewhere. Not retried. The cause, when there is one, is the
 * parse error.
 */
public final class UnexpectedResponseException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param details the call and the server's answer
     * @param reason what was unexpected, e.g. {@code "malformed JSON: Unexpected character…"}
     * @param cause the parse error, or null
     * @throws NullPointerException when {@code details} is null
     */
    public UnexpectedResponseException(ErrorDetails details, String reason, Throwable cause) {
        super(details, reason, cause);
    }
}
