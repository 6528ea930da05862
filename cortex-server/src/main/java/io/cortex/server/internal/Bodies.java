package io.cortex.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the small request bodies the server defines itself (resubmit, top-up, endpoints, webhooks)
 * field by field; every error is a 400 {@link Problem} naming the field and the rule. A JSON
 * {@code null} counts as absent.
 */
public final class Bodies {
    private Bodies() {}

    /**
     * Refuses any member not in {@code allowed}.
     *
     * @param body the object
     * @param allowed the known members
     */
    public static void allowOnly(JsonNode body, String... allowed) {
        Set<String> known = new TreeSet<>(List.of(allowed));
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                throw Problem.invalid(n, "unknown-field", "unknown field '" + n + "'; known fields: " + known);
            }
        }
    }

    /**
     * Whether the member is present and not null.
     *
     * @param body the object
     * @param field the member
     * @return true when present
     */
    public static boolean has(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && !v.isNull();
    }

    /**
     * A string member.
     *
     * @param body the object
     * @param field the member
     * @param required whether absence is an error
     * @return the value, or null when absent and not required
     */
    public static String text(JsonNode body, String field, boolean required) {
        JsonNode v = present(body, field, required);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw Problem.invalid(field, "type", field + " must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        return v.textValue();
    }

    /**
     * A whole-number member within a range.
     *
     * @param body the object
     * @param field the member
     * @param required whether absence is an error
     * @param min the least allowed
     * @param max the most allowed
     * @return the value, or null when absent and not required
     */
    public static Long whole(JsonNode body, String field, boolean required, long min, long max) {
        JsonNode v = present(body, field, required);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw Problem.invalid(field, "type", field + " must be a whole number, got " + v);
        }
        long n = v.longValue();
        if (n < min || n > max) {
            throw Problem.invalid(field, "range", field + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /**
     * A boolean member.
     *
     * @param body the object
     * @param field the member
     * @return the value, or null when absent
     */
    public static Boolean bool(JsonNode body, String field) {
        JsonNode v = present(body, field, false);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw Problem.invalid(field, "type", field + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    /**
     * A decimal member, written as a string ({@code "10.0"}) or a number.
     *
     * @param body the object
     * @param field the member
     * @param required whether absence is an error
     * @return the value, or null when absent and not required
     */
    public static BigDecimal decimal(JsonNode body, String field, boolean required) {
        JsonNode v = present(body, field, required);
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw Problem.invalid(field, "format", field + " '" + v.textValue() + "' is not a decimal number");
            }
        }
        throw Problem.invalid(field, "type", field + " must be a decimal number or a string such as \"10.0\", got " + v);
    }

    /**
     * A member holding an array of strings.
     *
     * @param body the object
     * @param field the member
     * @param required whether absence is an error
     * @return the values, or null when absent and not required
     */
    public static List<String> strings(JsonNode body, String field, boolean required) {
        JsonNode v = present(body, field, required);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw Problem.invalid(field, "type", field + " must be an array of strings, got " + v.getNodeType().name().toLowerCase());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) {
                throw Problem.invalid(field + "[" + i + "]", "type", field + "[" + i + "] must be a string, got " + e);
            }
            out.add(e.textValue());
        }
        return out;
    }

    private static JsonNode present(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw Problem.invalid(field, "required", field + " is required");
            }
            return null;
        }
        return v;
    }
}
