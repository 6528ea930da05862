package io.cortex.server;

import java.util.Locale;

/**
 * What an API key may do. Scopes are ordered: {@link #ADMIN} includes {@link #WRITE}, which
 * includes {@link #READ}.
 */
public enum Scope {
    /** Read jobs, providers, webhooks, services, metrics, rate limits and permissions. */
    READ,
    /** Submit, update, resubmit and cancel jobs; everything {@link #READ} allows. */
    WRITE,
    /**
     * Operate providers (endpoints, credentials, wallet top-ups), webhooks, services and the
     * operator log; everything {@link #WRITE} allows.
     */
    ADMIN;

    /**
     * The name used on the wire: {@code read}, {@code write}, {@code admin}.
     *
     * @return the lower-case name
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a key holding this scope may do what {@code other} allows.
     *
     * @param other the scope required
     * @return true when this scope is {@code other} or a broader one
     * @throws NullPointerException when {@code other} is null
     */
    public boolean includes(Scope other) {
        if (other == null) {
            throw new NullPointerException("scope cannot be null");
        }
        return ordinal() >= other.ordinal();
    }

    /**
     * The scope named {@code text}, ignoring case.
     *
     * @param text {@code read}, {@code write} or {@code admin}
     * @return the scope
     * @throws NullPointerException when {@code text} is null
     * @throws IllegalArgumentException when {@code text} names no scope
     */
    public static Scope parse(String text) {
        if (text == null) {
            throw new NullPointerException("scope cannot be null");
        }
        for (Scope s : values()) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("scope '" + text + "' is not one of read, write, admin");
    }
}
