package io.cortex.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** Test helpers: write and read with the shared mapper, unchecked. */
final class Json {
    private Json() {}

    static final ObjectMapper MAPPER = CortexJson.mapper();

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Writes {@code value} and reads it back as {@code type}. */
    static <T> T roundTrip(T value, Class<T> type) {
        return read(write(value), type);
    }

    /** Writes {@code value} and reads it back as {@code type}. */
    static <T> T roundTrip(T value, TypeReference<T> type) {
        return read(write(value), type);
    }

    /** The message of the Jackson exception reading {@code json} as {@code type} throws. */
    static String readError(String json, Class<?> type) {
        try {
            MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected reading " + json + " as " + type.getSimpleName() + " to fail");
    }

    /** Single quotes to double quotes, so JSON in tests reads easily. */
    static String q(String json) {
        return json.replace('\'', '"');
    }
}
