package io.cortex.core.store;

/**
 * A store could not do what it was asked: its database is unreachable, a statement failed, a
 * document could not be read. The message names the operation and, where there is one, the job.
 * A REST server answers it with 503: the request may succeed once the database is back.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with its cause.
     *
     * @param message what failed
     * @param cause the underlying failure, or null
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
