package io.cortex.client;

import io.cortex.client.internal.Preconditions;

/**
 * One invalid field of a request, as the server's validation problem lists it.
 *
 * @param field the field, e.g. {@code memory} or {@code endpoints[0]}
 * @param rule the rule it broke, e.g. {@code format}, {@code range}; null when the server names none
 * @param message what is wrong with it
 */
public record FieldError(String field, String rule, String message) {
    /**
     * Validates.
     *
     * @param field the field
     * @param rule the rule, or null
     * @param message what is wrong with it
     * @throws NullPointerException when field or message is null
     */
    public FieldError {
        Preconditions.notNull(field, "field");
        Preconditions.notNull(message, "message");
    }
}
