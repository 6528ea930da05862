package io.cortex.server.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The space of the file system a path lives on, read through {@link FileStore}. */
final class DiskSpace {
    private DiskSpace() {}

    /**
     * The file system holding {@code path} (or its nearest existing parent), as JSON members:
     * {@code path}, {@code fileStore}, {@code type}, {@code totalBytes}, {@code usableBytes},
     * {@code unallocatedBytes}; or {@code path} and {@code error} when it cannot be read.
     */
    static Map<String, Object> of(Path path) {
        Map<String, Object> out = new LinkedHashMap<>();
        Path at = path.toAbsolutePath();
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        out.put("path", (at == null ? path.toAbsolutePath() : at).toString());
        try {
            if (at == null) {
                throw new IOException("neither " + path + " nor any parent exists");
            }
            FileStore store = Files.getFileStore(at);
            out.put("fileStore", store.name());
            out.put("type", store.type());
            out.put("totalBytes", store.getTotalSpace());
            out.put("usableBytes", store.getUsableSpace());
            out.put("unallocatedBytes", store.getUnallocatedSpace());
        } catch (IOException | SecurityException e) {
            out.put("error", "cannot read the file system's space: " + e.getMessage());
        }
        return out;
    }

    /** The usable bytes of {@link #of}'s answer, or -1 when unknown. */
    static long usable(Map<String, Object> space) {
        return space.get("usableBytes") instanceof Long l ? l : -1;
    }

    /** Bytes in words: {@code 1.5 GiB}, {@code 812 KiB}, {@code 96 bytes}. */
    static String words(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", v) : String.format(java.util.Locale.ROOT, "%.1f", v))
                + " " + units[u];
    }
}
