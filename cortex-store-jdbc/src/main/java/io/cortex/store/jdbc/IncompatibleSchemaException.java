package io.cortex.store.jdbc;

import java.util.List;

/**
 * The database holds a Cortex schema this version cannot use: applied migrations it does not know
 * (a newer Cortex migrated it), or migrations whose content differs from this version's (their
 * checksums do not match). The store refuses to start rather than guess; the message says which
 * versions.
 */
public final class IncompatibleSchemaException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Applied versions unknown here (empty when the problem is a checksum). */
    private final List<String> unknownVersions;
    /** The newest version this Cortex knows. */
    private final String knownVersion;

    /**
     * The exception.
     *
     * @param message what is wrong and what to do
     * @param unknownVersions applied versions unknown to this Cortex
     * @param knownVersion the newest version this Cortex knows
     * @param cause the underlying failure, or null
     */
    public IncompatibleSchemaException(String message, List<String> unknownVersions, String knownVersion, Throwable cause) {
        super(message, cause);
        this.unknownVersions = List.copyOf(unknownVersions);
        this.knownVersion = knownVersion;
    }

    /** Applied versions this Cortex does not know, oldest first (empty for a checksum mismatch). */
    public List<String> unknownVersions() {
        return unknownVersions;
    }

    /** The newest schema version this Cortex knows. */
    public String knownVersion() {
        return knownVersion;
    }
}
