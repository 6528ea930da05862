package io.cortex.core.job;

import io.cortex.core.util.Preconditions;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of bytes written the Kubernetes way: {@code "512Mi"}, {@code "1Gi"}, {@code "1.5Gi"},
 * {@code "10G"}, {@code "750k"} or plain bytes {@code "1048576"}.
 *
 * <p>Binary suffixes: {@code Ki Mi Gi Ti Pi Ei}; decimal suffixes: {@code k M G T P E}. Fractions are
 * allowed and rounded up to a whole byte. {@link #toString()} gives back the canonical text: the
 * largest binary suffix that divides the value, else plain bytes.
 */
public final class Quantity implements Comparable<Quantity> {
    private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final String[] DECIMAL = {"k", "M", "G", "T", "P", "E"};
    /** Zero bytes. */
    public static final Quantity ZERO = new Quantity(0);

    private final long bytes;

    private Quantity(long bytes) {
        this.bytes = bytes;
    }

    /**
     * A quantity of exactly {@code bytes} bytes.
     *
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public static Quantity ofBytes(long bytes) {
        Preconditions.argument(bytes >= 0, "quantity must not be negative, got %d bytes", bytes);
        return bytes == 0 ? ZERO : new Quantity(bytes);
    }

    /**
     * {@code n} mebibytes.
     *
     * @throws IllegalArgumentException when negative or too large
     */
    public static Quantity mebibytes(long n) {
        return ofBytes(multiply(n, 1L << 20, n + "Mi"));
    }

    /**
     * {@code n} gibibytes.
     *
     * @throws IllegalArgumentException when negative or too large
     */
    public static Quantity gibibytes(long n) {
        return ofBytes(multiply(n, 1L << 30, n + "Gi"));
    }

    /**
     * Parses a quantity; the error names the value but no field. Prefer {@link #parse(String, String)}.
     *
     * @throws NullPointerException when {@code text} is null
     * @throws IllegalArgumentException when {@code text} is not a quantity
     */
    public static Quantity parse(String text) {
        return parse("quantity", text);
    }

    /**
     * Parses a quantity for the named field, so that an error says which field held the bad value.
     *
     * @throws NullPointerException when {@code text} is null
     * @throws IllegalArgumentException when {@code text} is empty, negative, has an unknown suffix, is
     *     not a number or does not fit in a signed 64-bit byte count
     */
    public static Quantity parse(String field, String text) {
        Preconditions.notNull(text, field);
        String s = text.trim();
        if (s.isEmpty()) {
            throw invalid(field, text, "it is empty");
        }
        int end = s.length();
        while (end > 0 && Character.isLetter(s.charAt(end - 1))) {
            end--;
        }
        String number = s.substring(0, end);
        String suffix = s.substring(end);
        long multiplier = multiplierOf(suffix);
        if (multiplier < 0) {
            throw invalid(field, text, "unknown suffix '" + suffix + "' (use Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P, E or plain bytes)");
        }
        if (number.startsWith("-")) {
            throw invalid(field, text, "it is negative");
        }
        if (number.isEmpty() || !number.matches("\\+?[0-9]+(\\.[0-9]+)?|\\+?\\.[0-9]+")) {
            throw invalid(field, text, "it is not a number followed by an optional suffix");
        }
        BigDecimal value = new BigDecimal(number.startsWith("+") ? number.substring(1) : number)
                .multiply(BigDecimal.valueOf(multiplier))
                .setScale(0, RoundingMode.CEILING);
        if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(field, text, "it is larger than " + Long.MAX_VALUE + " bytes");
        }
        return ofBytes(value.longValueExact());
    }

    private static long multiplierOf(String suffix) {
        if (suffix.isEmpty()) {
            return 1;
        }
        for (int i = 0; i < BINARY.length; i++) {
            if (BINARY[i].equals(suffix)) {
                return 1L << (10 * (i + 1));
            }
        }
        long m = 1;
        for (String d : DECIMAL) {
            m *= 1000;
            if (d.equals(suffix)) {
                return m;
            }
        }
        return -1;
    }

    private static long multiply(long n, long unit, String text) {
        Preconditions.argument(n >= 0, "quantity must not be negative, got %s", text);
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("quantity " + text + " is larger than " + Long.MAX_VALUE + " bytes");
        }
    }

    private static IllegalArgumentException invalid(String field, String text, String why) {
        return new IllegalArgumentException(field + " '" + text + "' is not a valid quantity: " + why);
    }

    /** The number of bytes. */
    public long bytes() {
        return bytes;
    }

    /** True when this quantity is larger than {@code other}. */
    public boolean exceeds(Quantity other) {
        return bytes > other.bytes;
    }

    @Override
    public int compareTo(Quantity o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && q.bytes == bytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes);
    }

    /** Canonical text: the largest binary suffix that divides the value exactly, else plain bytes. */
    @Override
    public String toString() {
        if (bytes == 0) {
            return "0";
        }
        for (int i = BINARY.length - 1; i >= 0; i--) {
            long unit = 1L << (10 * (i + 1));
            if (bytes % unit == 0) {
                return (bytes / unit) + BINARY[i];
            }
        }
        return Long.toString(bytes);
    }
}
