package io.cortex.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.AccessPattern;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Codecs of values written as one JSON scalar (quantities, images, ids, money, lower-case enums) and
 * of {@link Optional}. Package-private: {@link CortexModule} registers them.
 */
@SuppressWarnings("serial") // Jackson codecs are Serializable by inheritance; Cortex never Java-serializes them
final class ValueCodecs {
    private ValueCodecs() {}

    /** Parses text; {@code field} is the JSON field that held it, null at the root or in an array. */
    @FunctionalInterface
    interface TextParser<T> {
        /** The value of {@code text}; throws IllegalArgumentException (or NPE) naming the problem. */
        T parse(String field, String text);
    }

    /** Reads a value from a JSON number token. */
    @FunctionalInterface
    interface NumberReader<T> {
        /** The value of the number the parser stands on; throws IllegalArgumentException when not acceptable. */
        T read(JsonParser p) throws IOException;
    }

    /** Lower-case wire name of an enum constant. */
    static String wireName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} named {@code text}, ignoring case. */
    static <E extends Enum<E>> E enumIgnoringCase(Class<E> type, String text) {
        String s = text.trim();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException("not one of "
                + Arrays.stream(type.getEnumConstants()).map(ValueCodecs::wireName).toList());
    }

    /** Writes a value as a JSON string (or, as a map key, as a field name). */
    static final class TextSerializer<T> extends StdSerializer<T> {
        private final Function<? super T, String> format;
        private final boolean key;

        TextSerializer(Class<T> type, Function<? super T, String> format, boolean key) {
            super(type);
            this.format = format;
            this.key = key;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (key) {
                gen.writeFieldName(format.apply(value));
            } else {
                gen.writeString(format.apply(value));
            }
        }
    }

    /** Reads a value from a JSON string and, when a {@link NumberReader} is given, from a JSON number. */
    static final class TextDeserializer<T> extends StdDeserializer<T> {
        private final Class<T> type;
        private final TextParser<T> parser;
        private final NumberReader<T> numbers;

        TextDeserializer(Class<T> type, TextParser<T> parser, NumberReader<T> numbers) {
            super(type);
            this.type = type;
            this.parser = parser;
            this.numbers = numbers;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                String text = p.getText();
                try {
                    return parser.parse(p.currentName(), text);
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw ctxt.weirdStringException(text, type, e.getMessage());
                }
            }
            if (numbers != null && (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT)) {
                try {
                    return numbers.read(p);
                } catch (IllegalArgumentException e) {
                    throw ctxt.weirdNumberException(p.getNumberValue(), type, e.getMessage());
                }
            }
            return type.cast(ctxt.handleUnexpectedToken(type, p));
        }
    }

    /** Reads a map key with a {@link TextParser}. */
    static final class TextKeyDeserializer<T> extends KeyDeserializer {
        private final Class<T> type;
        private final TextParser<T> parser;

        TextKeyDeserializer(Class<T> type, TextParser<T> parser) {
            this.type = type;
            this.parser = parser;
        }

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            try {
                return parser.parse(null, key);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw ctxt.weirdKeyException(type, key, e.getMessage());
            }
        }
    }

    /** Writes an {@link Optional} as its value; an empty one counts as empty, so inclusion rules omit it. */
    static final class OptionalSerializer extends StdSerializer<Optional<?>> {
        OptionalSerializer() {
            super(Optional.class, false);
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Optional<?> value) {
            return value == null || value.isEmpty();
        }

        @Override
        public void serialize(Optional<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), gen);
            } else {
                provider.defaultSerializeNull(gen);
            }
        }
    }

    /** Reads an {@link Optional} of its declared content type; null and absent read as empty. */
    static final class OptionalDeserializer extends StdDeserializer<Optional<?>> implements ContextualDeserializer {
        private final JavaType content;

        OptionalDeserializer(JavaType content) {
            super(Optional.class);
            this.content = content;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            JavaType declared = property != null ? property.getType() : ctxt.getContextualType();
            return new OptionalDeserializer(declared == null ? ctxt.constructType(Object.class)
                    : declared.containedTypeOrUnknown(0));
        }

        @Override
        public Optional<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JavaType type = content != null ? content : ctxt.constructType(Object.class);
            return Optional.ofNullable(ctxt.readValue(p, type));
        }

        @Override
        public Optional<?> getNullValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return Optional.empty();
        }

        @Override
        public AccessPattern getNullAccessPattern() {
            return AccessPattern.CONSTANT;
        }
    }
}
