package io.cortex.core.util;

/**
 * The one preconditions helper of Cortex, shared by every module and open to plugin authors:
 * null → {@code NullPointerException("x cannot be null")}, bad value → {@code IllegalArgumentException}
 * naming the value and the rule, conflicting state → {@code IllegalStateException}.
 */
public final class Preconditions {
    private Preconditions() {}

    /**
     * Returns {@code value}, or throws {@code NullPointerException("name cannot be null")}.
     *
     * @throws NullPointerException when {@code value} is null
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " cannot be null");
        }
        return value;
    }

    /**
     * Throws {@code IllegalArgumentException} with the formatted message when {@code condition} is false.
     *
     * @throws IllegalArgumentException when {@code condition} is false
     */
    public static void argument(boolean condition, String messageFormat, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(args.length == 0 ? messageFormat : String.format(messageFormat, args));
        }
    }

    /**
     * Throws {@code IllegalStateException} with the formatted message when {@code condition} is false.
     *
     * @throws IllegalStateException when {@code condition} is false
     */
    public static void state(boolean condition, String messageFormat, Object... args) {
        if (!condition) {
            throw new IllegalStateException(args.length == 0 ? messageFormat : String.format(messageFormat, args));
        }
    }

    /**
     * Returns {@code value} when it is not null and not blank.
     *
     * @throws NullPointerException when {@code value} is null
     * @throws IllegalArgumentException when {@code value} is blank
     */
    public static String notBlank(String value, String name) {
        notNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " cannot be blank");
        }
        return value;
    }
}
