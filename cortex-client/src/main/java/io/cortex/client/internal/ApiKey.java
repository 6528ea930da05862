package io.cortex.client.internal;

/** An API key that never prints itself: {@link #toString()} is {@code ****}. */
public final class ApiKey {
    private final String value;

    /**
     * Wraps a key.
     *
     * @param value the key
     * @throws NullPointerException when it is null
     * @throws IllegalArgumentException when it is blank or contains a line break or a control character
     */
    public ApiKey(String value) {
        Preconditions.notNull(value, "apiKey");
        Preconditions.argument(!value.isBlank(), "apiKey cannot be blank");
        // the message must not repeat the key
        Preconditions.argument(value.chars().allMatch(c -> c > 0x20 && c < 0x7f),
                "apiKey must be printable ASCII without spaces");
        this.value = value;
    }

    /**
     * The {@code Authorization} header value.
     *
     * @return {@code Bearer <key>}
     */
    String bearer() {
        return "Bearer " + value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && k.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Redacted. */
    @Override
    public String toString() {
        return "****";
    }
}
