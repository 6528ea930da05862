package io.cortex.core.log;

import io.cortex.core.job.Quantity;
import io.cortex.core.util.Preconditions;
import java.util.Locale;

/**
 * How the operator log's file rotates: the active file is renamed once it would grow past
 * {@code maxSizeBytes}, at most {@code maxFiles} rotated files are kept (the oldest are deleted), and
 * rotated files are gzipped when {@code compress} is set.
 *
 * <pre>{@code
 * LogRotation rotation = LogRotation.of(LogRotation.parseSize("maxSize", "100MB"), 10, true);
 * }</pre>
 *
 * @param maxSizeBytes the size at which the active file rotates, {@value #MIN_SIZE} bytes to 1 TiB
 * @param maxFiles how many rotated files are kept, 1 to {@value #MAX_FILES}
 * @param compress whether rotated files are gzipped ({@code .gz})
 */
public record LogRotation(long maxSizeBytes, int maxFiles, boolean compress) {
    /** The smallest size a file may rotate at: 1 KiB. */
    public static final long MIN_SIZE = 1024;
    /** The largest size a file may rotate at: 1 TiB. */
    public static final long MAX_SIZE = 1L << 40;
    /** The most rotated files kept. */
    public static final int MAX_FILES = 1000;
    /** The size at which a file rotates by default: 10 MiB. */
    public static final long DEFAULT_MAX_SIZE = 10L << 20;
    /** The rotated files kept by default. */
    public static final int DEFAULT_MAX_FILES = 5;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the setting and its range when one is out of range
     */
    public LogRotation {
        Preconditions.argument(maxSizeBytes >= MIN_SIZE && maxSizeBytes <= MAX_SIZE,
                "maxSize must be between %d bytes (1KiB) and %d bytes (1TiB), got %d bytes", MIN_SIZE, MAX_SIZE, maxSizeBytes);
        Preconditions.argument(maxFiles >= 1 && maxFiles <= MAX_FILES, "maxFiles must be between 1 and %d, got %d", MAX_FILES,
                maxFiles);
    }

    /**
     * The given settings.
     *
     * @param maxSizeBytes the size at which the active file rotates
     * @param maxFiles how many rotated files are kept
     * @param compress whether rotated files are gzipped
     * @return the rotation
     * @throws IllegalArgumentException when a setting is out of range
     */
    public static LogRotation of(long maxSizeBytes, int maxFiles, boolean compress) {
        return new LogRotation(maxSizeBytes, maxFiles, compress);
    }

    /**
     * 10 MiB per file, 5 rotated files kept, gzipped.
     *
     * @return the defaults
     */
    public static LogRotation ofDefaults() {
        return new LogRotation(DEFAULT_MAX_SIZE, DEFAULT_MAX_FILES, true);
    }

    /**
     * These settings with another size.
     *
     * @param bytes the size at which the active file rotates
     * @return a copy
     * @throws IllegalArgumentException when out of range
     */
    public LogRotation withMaxSize(long bytes) {
        return new LogRotation(bytes, maxFiles, compress);
    }

    /**
     * These settings with another number of rotated files kept.
     *
     * @param files how many rotated files are kept
     * @return a copy
     * @throws IllegalArgumentException when out of range
     */
    public LogRotation withMaxFiles(int files) {
        return new LogRotation(maxSizeBytes, files, compress);
    }

    /**
     * These settings with compression switched on or off (it applies to files rotated from now on).
     *
     * @param gzip whether rotated files are gzipped
     * @return a copy
     */
    public LogRotation withCompression(boolean gzip) {
        return new LogRotation(maxSizeBytes, maxFiles, gzip);
    }

    /**
     * Parses a size as log settings write it: Cortex's {@link Quantity} forms ({@code "100Mi"},
     * {@code "100M"}, {@code "1048576"}) and the same with a trailing {@code B}: {@code "100MB"},
     * {@code "100MiB"}, {@code "512KB"}, {@code "1GB"}, {@code "100B"} (case-insensitive unit). Like
     * {@code Quantity}, {@code KB MB GB TB} are decimal ({@code "100MB"} is 100,000,000 bytes) and
     * {@code KiB MiB GiB TiB} binary ({@code "100MiB"} is 104,857,600 bytes).
     *
     * @param field the field the text came from, named in the error
     * @param text the size
     * @return the number of bytes
     * @throws NullPointerException when {@code text} is null
     * @throws IllegalArgumentException naming {@code field} when {@code text} is not a size
     */
    public static long parseSize(String field, String text) {
        Preconditions.notNull(text, field);
        String s = text.trim();
        int end = s.length();
        while (end > 0 && Character.isLetter(s.charAt(end - 1))) {
            end--;
        }
        String number = s.substring(0, end).trim();
        String unit = s.substring(end);
        String quantityUnit = quantityUnit(unit);
        if (quantityUnit == null) {
            throw new IllegalArgumentException(field + " '" + text + "' is not a size: unknown unit '" + unit
                    + "' (use B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, or Quantity's k, M, G, T, Ki, Mi, Gi, Ti)");
        }
        try {
            return Quantity.parse(field, number + quantityUnit).bytes();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not a size: it must be a number followed by a "
                    + "unit such as 100MB or 64MiB", e);
        }
    }

    /** Quantity's suffix for a log-size unit, or null when the unit is unknown. */
    private static String quantityUnit(String unit) {
        String u = unit.toUpperCase(Locale.ROOT);
        switch (u) {
            case "", "B":
                return "";
            case "K", "KB":
                return "k";
            case "M", "MB":
                return "M";
            case "G", "GB":
                return "G";
            case "T", "TB":
                return "T";
            case "KI", "KIB":
                return "Ki";
            case "MI", "MIB":
                return "Mi";
            case "GI", "GIB":
                return "Gi";
            case "TI", "TIB":
                return "Ti";
            default:
                return null;
        }
    }
}
