package io.cortex.store.jdbc.internal;

import io.cortex.core.util.Preconditions;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects behind documents the store wrote or read lately, keyed by id: reading a document
 * the same as the one remembered gives the remembered object instead of parsing it again. The
 * database stays the truth (the document is always read; only its parsing is saved), so this is
 * right on a shared database too. Objects must be immutable. Bounded: when full, it forgets
 * everything and starts over (the documents that matter are the recent ones).
 *
 * @param <T> the type of the objects
 */
public final class ParsedDocuments<T> {
    private record Parsed<T>(String document, T value) {}

    private final ConcurrentHashMap<String, Parsed<T>> byId = new ConcurrentHashMap<>();
    private final int capacity;

    /**
     * Remembers at most {@code capacity} documents.
     *
     * @throws IllegalArgumentException when {@code capacity} is negative
     */
    public ParsedDocuments(int capacity) {
        Preconditions.argument(capacity >= 0, "capacity must not be negative, got %d", capacity);
        this.capacity = capacity;
    }

    /** The object remembered for {@code id} if its document is {@code document}, else null. */
    public T get(String id, String document) {
        Parsed<T> p = byId.get(id);
        return p != null && p.document.equals(document) ? p.value : null;
    }

    /** Remembers that {@code document} of {@code id} is {@code value} (replacing what was remembered for it). */
    public void put(String id, String document, T value) {
        if (capacity == 0) {
            return;
        }
        if (byId.size() >= capacity && !byId.containsKey(id)) {
            byId.clear(); // the recent ones matter: start over rather than keep the oldest for ever
        }
        byId.put(id, new Parsed<>(document, value));
    }

    /** Forgets {@code id}. */
    public void remove(String id) {
        byId.remove(id);
    }

    /** How many documents it remembers. */
    public int size() {
        return byId.size();
    }
}
