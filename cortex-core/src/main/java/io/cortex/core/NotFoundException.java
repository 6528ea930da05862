package io.cortex.core;

import java.util.NoSuchElementException;

/** Thrown when a job, provider or service named in a call does not exist (or was dropped by retention). */
public final class NotFoundException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String id;

    /** {@code kind} is {@code job}, {@code provider} or {@code service}. */
    public NotFoundException(String kind, String id) {
        super(kind + " '" + id + "' not found");
        this.kind = kind;
        this.id = id;
    }

    /** What was looked for: {@code job}, {@code provider}, {@code service}. */
    public String kind() {
        return kind;
    }

    /** The id looked for. */
    public String id() {
        return id;
    }
}
