package io.cortex.client.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * Response readers built on the shared Cortex mapper. They read with Cortex's one JSON configuration,
 * except that an unknown field is skipped instead of rejected: a newer server may add fields, and an
 * older client must still read its answers (the server, on its side, rejects unknown fields in what it
 * is sent).
 */
public final class Readers {
    private final ObjectReader lenient;

    /**
     * Readers on {@code mapper}.
     *
     * @param mapper the shared mapper; not reconfigured
     */
    public Readers(ObjectMapper mapper) {
        this.lenient = mapper.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * A reader of JSON bodies of one type.
     *
     * @param type the type
     * @param <T> the type
     * @return the reader; it fails on an empty or {@code null} body
     */
    public <T> ResponseReader<T> of(Class<T> type) {
        return of(lenient.getTypeFactory().constructType(type));
    }

    /**
     * A reader of JSON bodies of one generic type.
     *
     * @param type the type
     * @param <T> the type
     * @return the reader; it fails on an empty or {@code null} body
     */
    public <T> ResponseReader<T> of(TypeReference<T> type) {
        return of(lenient.getTypeFactory().constructType(type));
    }

    private <T> ResponseReader<T> of(JavaType type) {
        ObjectReader reader = lenient.forType(type);
        return result -> {
            if (result.body().length == 0) {
                throw new IOException("the response has no body, " + type.getRawClass().getSimpleName() + " expected");
            }
            T value = reader.readValue(result.body());
            if (value == null) {
                throw new IOException("the response body is null, " + type.getRawClass().getSimpleName() + " expected");
            }
            return value;
        };
    }

    /**
     * A reader that ignores the body (204 No Content).
     *
     * @return the reader; its value is null
     */
    public static ResponseReader<Void> none() {
        return result -> null;
    }
}
