package io.cortex.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A configuration is invalid. The message names where (the source), which entry (a provider's id,
 * or its position when it has no valid id) and which key; it never holds a secret value.
 */
public final class CortexConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String entry;
    private final String key;

    /**
     * An error about {@code key} of {@code entry}.
     *
     * @param source where the configuration came from, e.g. a file name
     * @param entry the provider entry, e.g. {@code acme} or {@code providers[2]}; null for the top level
     * @param key the key within the entry, e.g. {@code credentials.apiKey}; null when the whole entry is meant
     * @param problem what is wrong and, when it helps, how to fix it
     * @throws NullPointerException when {@code source} or {@code problem} is null
     */
    public CortexConfigException(String source, String entry, String key, String problem) {
        this(source, entry, key, problem, null);
    }

    /**
     * An error about {@code key} of {@code entry}, with its cause.
     *
     * @throws NullPointerException when {@code source} or {@code problem} is null
     */
    public CortexConfigException(String source, String entry, String key, String problem, Throwable cause) {
        super(format(source, entry, key, problem), cause);
        this.source = source;
        this.entry = entry;
        this.key = key;
    }

    private static String format(String source, String entry, String key, String problem) {
        Objects.requireNonNull(source, "source cannot be null");
        Objects.requireNonNull(problem, "problem cannot be null");
        StringBuilder b = new StringBuilder("cortex configuration ").append(source).append(": ");
        if (entry != null) {
            b.append("provider entry '").append(entry).append("'");
            if (key != null) {
                b.append(", key '").append(key).append("'");
            }
            b.append(": ");
        } else if (key != null) {
            b.append("key '").append(key).append("': ");
        }
        return b.append(problem).toString();
    }

    /** Where the configuration came from. */
    public String source() {
        return source;
    }

    /** The provider entry at fault, if any. */
    public Optional<String> entry() {
        return Optional.ofNullable(entry);
    }

    /** The key at fault, if any. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }
}
