package io.cortex.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The two helpers behind every hand-written object codec: {@link ObjectSerializer} writes named fields
 * and skips absent ones; {@link ObjectDeserializer} reads declared fields by type, rejects unknown
 * ones, and turns every validation error into a Jackson exception that names the field.
 */
@SuppressWarnings("serial") // Jackson codecs are Serializable by inheritance; Cortex never Java-serializes them
final class ObjectCodecs {
    private ObjectCodecs() {}

    /** Writes a value as a JSON object, field by field. */
    abstract static class ObjectSerializer<T> extends StdSerializer<T> {
        ObjectSerializer(Class<T> type) {
            super(type);
        }

        @Override
        public final void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject(value);
            write(value, new Out(gen, provider));
            gen.writeEndObject();
        }

        /** Writes the fields of {@code value}. */
        abstract void write(T value, Out out) throws IOException;
    }

    /** Writes one field at a time, with the mapper's serializers; null and empty Optional are omitted. */
    record Out(JsonGenerator gen, SerializerProvider provider) {
        /** Writes {@code "name": value} unless the value is null or an empty Optional. */
        Out field(String name, Object value) throws IOException {
            Object v = value instanceof Optional<?> o ? o.orElse(null) : value;
            if (v != null) {
                provider.defaultSerializeField(name, v, gen);
            }
            return this;
        }
    }

    /**
     * Reads a JSON object whose fields are declared up front with the type each is read as. An unknown
     * field goes to Jackson's unknown-property handling (an error naming it, under
     * FAIL_ON_UNKNOWN_PROPERTIES); an error inside a field's value gets the field added to its path;
     * a JSON null counts as absent.
     */
    abstract static class ObjectDeserializer<T> extends StdDeserializer<T> {
        private final Class<T> type;
        private final Map<String, Type> fields = new LinkedHashMap<>();
        private final Set<String> derived = new LinkedHashSet<>();

        ObjectDeserializer(Class<T> type) {
            super(type);
            this.type = type;
        }

        /** Declares field {@code name}, read as {@code valueType}. */
        final void field(String name, Type valueType) {
            fields.put(name, valueType);
        }

        /** Declares fields that are written for convenience, derived from others, and skipped on read. */
        final void derived(String... names) {
            derived.addAll(java.util.List.of(names));
        }

        /** Builds the value from the fields read. */
        abstract T build(Values v) throws IOException;

        @Override
        public final T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT) {
                t = p.nextToken();
            } else if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
                return type.cast(ctxt.handleUnexpectedToken(type, p));
            }
            Map<String, Object> values = new HashMap<>();
            for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken valueToken = p.nextToken();
                Type valueType = fields.get(name);
                if (valueType == null) {
                    if (derived.contains(name)) {
                        p.skipChildren();
                    } else {
                        ctxt.handleUnknownProperty(p, this, type, name);
                    }
                } else if (valueToken != JsonToken.VALUE_NULL) {
                    try {
                        values.put(name, ctxt.readValue(p, ctxt.getTypeFactory().constructType(valueType)));
                    } catch (JsonMappingException e) {
                        throw JsonMappingException.wrapWithPath(e, type, name);
                    }
                }
            }
            return build(new Values(p, ctxt, type, values));
        }

        @Override
        public Collection<Object> getKnownPropertyNames() {
            Collection<Object> names = new ArrayList<>(fields.keySet());
            names.addAll(derived);
            return names;
        }
    }

    /** The fields read from one JSON object, with accessors whose errors name the field. */
    static final class Values {
        private final JsonParser p;
        private final DeserializationContext ctxt;
        private final Class<?> type;
        private final Map<String, Object> values;

        Values(JsonParser p, DeserializationContext ctxt, Class<?> type, Map<String, Object> values) {
            this.p = p;
            this.ctxt = ctxt;
            this.type = type;
            this.values = values;
        }

        /** The value of field {@code name}, or null when absent; typed as declared with {@code field}. */
        @SuppressWarnings("unchecked")
        <V> V get(String name) {
            return (V) values.get(name);
        }

        /** The value of field {@code name}, or {@code fallback} when absent. */
        <V> V get(String name, V fallback) {
            V v = get(name);
            return v == null ? fallback : v;
        }

        /** The value of field {@code name}; an error naming it when absent. */
        <V> V require(String name) throws JsonMappingException {
            V v = get(name);
            if (v == null) {
                MismatchedInputException e = MismatchedInputException.from(p, type,
                        "Missing required field \"" + name + "\" of " + type.getSimpleName());
                e.prependPath(type, name);
                throw e;
            }
            return v;
        }

        /**
         * Passes field {@code name} to {@code setter} when present; a validation error of the setter
         * (IllegalArgumentException or NullPointerException) becomes an error naming the field.
         */
        <V> void ifPresent(String name, Consumer<V> setter) throws JsonMappingException {
            V v = get(name);
            if (v == null) {
                return;
            }
            try {
                setter.accept(v);
            } catch (IllegalArgumentException | NullPointerException e) {
                MismatchedInputException x = MismatchedInputException.from(p, type,
                        "Invalid field \"" + name + "\" of " + type.getSimpleName() + ": " + e.getMessage());
                x.initCause(e);
                x.prependPath(type, name);
                throw x;
            }
        }

        /** Runs the constructor or factory; its validation errors become a Jackson exception with their message. */
        <R> R construct(Supplier<R> creator) throws JsonMappingException {
            try {
                return creator.get();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw ValueInstantiationException.from(p, "Invalid " + type.getSimpleName() + ": " + e.getMessage(),
                        ctxt.constructType(type), e);
            }
        }
    }
}
