package io.cortex.client.internal;

import java.time.Duration;

/**
 * The client's one preconditions helper: null is a {@link NullPointerException} naming the value, a bad
 * value an {@link IllegalArgumentException} naming the value and the rule, a conflicting state an
 * {@link IllegalStateException}.
 */
public final class Preconditions {
    private Preconditions() {}

    /**
     * Returns {@code value}.
     *
     * @param value the value
     * @param name its name in the message
     * @param <T> its type
     * @return {@code value}
     * @throws NullPointerException "{@code name} cannot be null" when it is null
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " cannot be null");
        }
        return value;
    }

    /**
     * Checks a rule on an argument.
     *
     * @param ok whether the rule holds
     * @param format the message, a {@link String#format} pattern
     * @param args its arguments
     * @throws IllegalArgumentException with the message when the rule does not hold
     */
    public static void argument(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }

    /**
     * Checks a rule on state.
     *
     * @param ok whether the rule holds
     * @param format the message, a {@link String#format} pattern
     * @param args its arguments
     * @throws IllegalStateException with the message when the rule does not hold
     */
    public static void state(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new IllegalStateException(String.format(format, args));
        }
    }

    /**
     * Returns a non-blank string.
     *
     * @param value the value
     * @param name its name in the message
     * @return {@code value}
     * @throws NullPointerException when it is null
     * @throws IllegalArgumentException when it is blank
     */
    public static String notBlank(String value, String name) {
        notNull(value, name);
        argument(!value.isBlank(), "%s cannot be blank", name);
        return value;
    }

    /**
     * Returns a strictly positive duration.
     *
     * @param value the value
     * @param name its name in the message
     * @return {@code value}
     * @throws NullPointerException when it is null
     * @throws IllegalArgumentException when it is zero or negative
     */
    public static Duration positive(Duration value, String name) {
        notNull(value, name);
        argument(!value.isNegative() && !value.isZero(), "%s must be positive, got %s", name, value);
        return value;
    }

    /**
     * Returns a duration that is not negative.
     *
     * @param value the value
     * @param name its name in the message
     * @return {@code value}
     * @throws NullPointerException when it is null
     * @throws IllegalArgumentException when it is negative
     */
    public static Duration notNegative(Duration value, String name) {
        notNull(value, name);
        argument(!value.isNegative(), "%s must not be negative, got %s", name, value);
        return value;
    }

    /**
     * Fails when an option of a builder was already set: setting one option twice is a mistake that
     * "last one wins" would hide.
     *
     * @param current the value set before, or null when unset
     * @param name the option
     * @param shown how the current value is shown (a secret shows as {@code ****})
     * @throws IllegalStateException "{@code name} already set to {@code shown}" when {@code current} is not null
     */
    public static void unset(Object current, String name, Object shown) {
        if (current != null) {
            throw new IllegalStateException(name + " already set to " + shown);
        }
    }

    /**
     * {@link #unset(Object, String, Object)} showing the current value itself.
     *
     * @param current the value set before, or null when unset
     * @param name the option
     * @throws IllegalStateException "{@code name} already set to …" when {@code current} is not null
     */
    public static void unset(Object current, String name) {
        unset(current, name, current);
    }
}
