package io.cortex.client.internal;

import java.io.IOException;

/**
 * Turns a 2xx answer into the value a client method returns.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface ResponseReader<T> {
    /**
     * Reads the answer.
     *
     * @param result the answer
     * @return the value
     * @throws IOException when the body cannot be read as a {@code T}
     */
    T read(HttpResult result) throws IOException;
}
