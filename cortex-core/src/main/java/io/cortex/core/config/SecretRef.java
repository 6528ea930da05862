package io.cortex.core.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a secret is read from: an environment variable ({@code env:ACME_KEY}) or a file
 * ({@code file:/run/secrets/acme}). A reference is not a secret itself and prints as written.
 *
 * @param kind where to look
 * @param target the variable name or the file path
 */
public record SecretRef(Kind kind, String target) {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Where a secret lives. */
    public enum Kind {
        /** An environment variable of the process. */
        ENV,
        /** A file, whose content (without trailing line breaks) is the secret. */
        FILE
    }

    /**
     * Validates.
     *
     * @throws NullPointerException when a field is null
     * @throws IllegalArgumentException when the variable name is malformed or the path is blank
     */
    public SecretRef {
        Objects.requireNonNull(kind, "kind cannot be null");
        Objects.requireNonNull(target, "target cannot be null");
        if (kind == Kind.ENV && !ENV_NAME.matcher(target).matches()) {
            throw new IllegalArgumentException("environment variable name '" + target + "' must match [A-Za-z_][A-Za-z0-9_]*");
        }
        if (kind == Kind.FILE && target.isBlank()) {
            throw new IllegalArgumentException("file reference needs a path after 'file:'");
        }
    }

    /** A reference to the environment variable {@code name}. */
    public static SecretRef env(String name) {
        return new SecretRef(Kind.ENV, name);
    }

    /** A reference to the file at {@code path}. */
    public static SecretRef file(String path) {
        return new SecretRef(Kind.FILE, path);
    }

    /**
     * Parses {@code env:NAME} or {@code file:PATH}. Anything else is refused as an inline secret; the
     * message never repeats the value.
     *
     * @throws NullPointerException when {@code text} is null
     * @throws IllegalArgumentException when the text is not a reference
     */
    public static SecretRef parse(String text) {
        Objects.requireNonNull(text, "secret reference cannot be null");
        String s = text.trim();
        if (s.startsWith("env:")) {
            return env(s.substring(4).trim());
        }
        if (s.startsWith("file:")) {
            return file(s.substring(5).trim());
        }
        throw new IllegalArgumentException(s.isEmpty() ? "is empty; write env:VARIABLE or file:/path/to/secret"
                : "inline secret values are refused (the value is not shown); write env:VARIABLE to read it from an "
                        + "environment variable or file:/path/to/secret to read it from a file");
    }

    /** As written: {@code env:NAME} or {@code file:PATH}. */
    @Override
    public String toString() {
        return (kind == Kind.ENV ? "env:" : "file:") + target;
    }
}
