package io.cortex.server.internal;

import io.cortex.core.job.ReasonCode;
import io.cortex.core.json.CortexJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.webjars.WebJarVersionLocator;

/**
 * The files of the operator console, read from the class path: the console's own files under
 * {@value #ROOT}, third-party files from their webjars under {@code vendor/<webjar>/} (the webjar's
 * version is found on the class path, so paths carry none), and {@value #REASONS}, the plain-words
 * description and suggested action of every {@link ReasonCode}, written from the enum itself.
 *
 * <p>Only well-formed relative paths with a known extension are looked up; anything else, such as
 * {@code ..} or a hidden file, is simply not found. Files found are kept in memory (the console is a
 * few hundred kilobytes) with a strong ETag made from their content. Thread-safe.
 */
final class ConsoleAssets {
    /** Where the console's own files live on the class path. */
    static final String ROOT = "io/cortex/server/console/";
    /** The generated reason-code table. */
    static final String REASONS = "reason-codes.json";

    /** Webjars served under {@code vendor/<name>/}, each from one folder of the webjar. */
    private static final Map<String, String> VENDOR_FOLDERS = Map.of("uplot", "dist/");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8");

    /**
     * One file ready to send.
     *
     * @param bytes the content
     * @param contentType the {@code Content-Type}
     * @param etag the strong ETag, quoted
     */
    record Asset(byte[] bytes, String contentType, String etag) {}

    private final ClassLoader loader = ConsoleAssets.class.getClassLoader();
    private final WebJarVersionLocator webjars = new WebJarVersionLocator();
    private final Map<String, Asset> found = new ConcurrentHashMap<>();

    /**
     * The file at {@code path}, relative to the console's root.
     *
     * @param path e.g. {@code index.html}, {@code js/app.js}, {@code vendor/uplot/uPlot.esm.js}
     * @return the file, or empty when there is none (or the path is not one the console serves)
     */
    Optional<Asset> find(String path) {
        Asset cached = found.get(path);
        if (cached != null) {
            return Optional.of(cached);
        }
        String type = contentType(path);
        if (type == null || !wellFormed(path)) {
            return Optional.empty();
        }
        byte[] bytes = path.equals(REASONS) ? reasonCodes() : read(classPathOf(path));
        if (bytes == null) {
            return Optional.empty();
        }
        Asset asset = new Asset(bytes, type, etag(bytes));
        found.put(path, asset);
        return Optional.of(asset);
    }

    private String classPathOf(String path) {
        if (!path.startsWith("vendor/")) {
            return ROOT + path;
        }
        String rest = path.substring("vendor/".length());
        int slash = rest.indexOf('/');
        String folder = slash > 0 ? VENDOR_FOLDERS.get(rest.substring(0, slash)) : null;
        if (folder == null) {
            return null;
        }
        return webjars.fullPath(rest.substring(0, slash), folder + rest.substring(slash + 1));
    }

    private byte[] read(String resource) {
        if (resource == null) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file " + resource + ": " + e.getMessage(), e);
        }
    }

    private static boolean wellFormed(String path) {
        if (path.isEmpty() || path.length() > 300) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.contains("..")) {
                return false;
            }
        }
        return true;
    }

    private static String contentType(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** {@code {"CODE":{"description":…,"suggestedAction":…},…}} in the enum's order. */
    private static byte[] reasonCodes() {
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (ReasonCode code : ReasonCode.values()) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("description", code.description());
            entry.put("suggestedAction", code.suggestedAction());
            table.put(code.name(), entry);
        }
        try {
            return CortexJson.mapper().writeValueAsString(table).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reason codes: " + e.getMessage(), e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return '"' + HexFormat.of().formatHex(digest, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
