package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import java.util.regex.Pattern;

/**
 * A provider's identifier within one engine: 1 to 64 of {@code [a-z0-9._-]}, starting with a letter or digit.
 */
public final class ProviderId implements Comparable<ProviderId> {
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private final String value;

    private ProviderId(String value) {
        this.value = value;
    }

    /**
     * Parses an identifier.
     *
     * @throws NullPointerException when {@code value} is null
     * @throws IllegalArgumentException when it breaks the format
     */
    public static ProviderId of(String value) {
        Preconditions.notNull(value, "providerId");
        Preconditions.argument(FORMAT.matcher(value).matches(),
                "providerId '%s' must be 1 to 64 of [a-z0-9._-] starting with a letter or digit", value);
        return new ProviderId(value);
    }

    /** The text. */
    public String value() {
        return value;
    }

    @Override
    public int compareTo(ProviderId o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderId p && p.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
