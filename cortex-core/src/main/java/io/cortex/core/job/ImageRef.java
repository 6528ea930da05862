package io.cortex.core.job;

import io.cortex.core.util.Preconditions;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference, {@code [registry[:port]/]repository[:tag][@sha256:digest]}, parsed
 * and validated the way OCI distribution names are: lower-case path components, a tag of at most
 * 128 characters, a digest of 64 lower-case hex characters.
 *
 * <p>Without a registry the image is on {@code docker.io}; without a tag nor a digest the tag is
 * {@code latest}. {@link #toString()} gives back the reference as written (normalized spacing).
 */
public final class ImageRef {
    /** The registry assumed when a reference names none. */
    public static final String DEFAULT_REGISTRY = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

    private final String registry;
    private final String repository;
    private final String tag;
    private final String digest;
    private final String text;

    private ImageRef(String registry, String repository, String tag, String digest, String text) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
        this.text = text;
    }

    /**
     * Parses an image reference.
     *
     * @throws NullPointerException when {@code text} is null
     * @throws IllegalArgumentException naming the value and the rule it breaks: empty, upper-case
     *     repository, malformed tag, malformed digest, bad registry
     */
    public static ImageRef parse(String text) {
        Preconditions.notNull(text, "image");
        String s = text.trim();
        if (s.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        String digest = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            digest = s.substring(at + 1);
            s = s.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid(text, "digest '" + digest + "' must be sha256: followed by 64 lower-case hex characters");
            }
        }
        String registry = null;
        int slash = s.indexOf('/');
        if (slash > 0) {
            String first = s.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                registry = first;
                s = s.substring(slash + 1);
                if (!REGISTRY.matcher(registry).matches()) {
                    throw invalid(text, "registry '" + registry + "' is not a host name with an optional port");
                }
            }
        }
        String tag = null;
        int colon = s.lastIndexOf(':');
        if (colon >= 0) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "tag '" + tag + "' must be 1 to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'");
            }
        }
        if (s.isEmpty()) {
            throw invalid(text, "the repository is empty");
        }
        if (s.length() > 255) {
            throw invalid(text, "the repository is longer than 255 characters");
        }
        for (String component : s.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                String why = !component.equals(component.toLowerCase(java.util.Locale.ROOT))
                        ? "repository must be lower case, got '" + s + "'"
                        : "repository component '" + component + "' must be lower-case letters and digits separated by '.', '_', '__' or '-'";
                throw invalid(text, why);
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageRef(registry == null ? DEFAULT_REGISTRY : registry, s, tag, digest, s(registry, s, tag, digest));
    }

    private static String s(String registry, String repository, String tag, String digest) {
        StringBuilder b = new StringBuilder();
        if (registry != null) {
            b.append(registry).append('/');
        }
        b.append(repository);
        if (tag != null) {
            b.append(':').append(tag);
        }
        if (digest != null) {
            b.append('@').append(digest);
        }
        return b.toString();
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("image '" + text + "' is not a valid image reference: " + why);
    }

    /** The registry host (and port), {@value #DEFAULT_REGISTRY} when the reference names none. */
    public String registry() {
        return registry;
    }

    /** The repository path, e.g. {@code library/ubuntu}. */
    public String repository() {
        return repository;
    }

    /** The tag; {@code latest} when neither tag nor digest was given; empty when only a digest was. */
    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    /** The {@code sha256:…} digest, when given. */
    public Optional<String> digest() {
        return Optional.ofNullable(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageRef r && r.registry.equals(registry) && r.repository.equals(repository)
                && Objects.equals(r.tag, tag) && Objects.equals(r.digest, digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }

    /** The reference as given, normalized (trimmed; {@code :latest} added when no tag nor digest). */
    @Override
    public String toString() {
        return text;
    }
}
