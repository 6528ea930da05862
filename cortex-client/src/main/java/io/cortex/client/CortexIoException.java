package io.cortex.client;

import java.io.IOException;

/**
 * No answer: the connection could not be opened, was reset or closed early, an attempt timed out, or
 * the thread was interrupted. Retried for idempotent calls; a {@code POST} without
 * {@code Idempotency-Key} is retried only when the connection could not be opened (the request never
 * left). The cause is the {@link IOException}.
 */
public final class CortexIoException extends CortexApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param details the call (status 0)
     * @param cause the I/O failure
     * @throws NullPointerException when {@code details} is null
     */
    public CortexIoException(ErrorDetails details, IOException cause) {
        super(details, describe(cause), cause);
    }

    private static String describe(IOException cause) {
        if (cause == null) {
            return "I/O error";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * The I/O failure.
     *
     * @return the cause
     */
    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
