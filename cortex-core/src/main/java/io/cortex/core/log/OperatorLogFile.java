package io.cortex.core.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cortex.core.json.CortexJson;
import io.cortex.core.util.Preconditions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator log's optional file: every record as one JSON line (the body {@code GET
 * /api/system/logs} shows), with size-based rotation.
 *
 * <p>When a record would take the active file past {@link LogRotation#maxSizeBytes()}, the file is
 * renamed to {@code <name>.<n>} ({@code n} counts up: the highest is the newest) and a new one is
 * started; with {@link LogRotation#compress()} the rotated file becomes {@code <name>.<n>.gz}. Only the
 * newest {@link LogRotation#maxFiles()} rotated files are kept. The rotation can be changed while the
 * file is written ({@link #rotation(LogRotation)}): a smaller size rotates at the next record, fewer
 * files are pruned at once.
 *
 * <p>A failing disk never stops the engine: the record stays in the ring, the error is counted
 * ({@link #writeErrors()}, {@link #lastError()}), logged once per run of failures, and the file is
 * reopened at the next record. Concurrent records may reach the file slightly out of sequence
 * order; each line carries its {@code sequence}. Thread-safe.
 */
public final class OperatorLogFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorLogFile.class);

    private final Path path;
    private final Pattern rotatedName;
    private final Object housekeeping = new Object();
    private LogRotation rotation;
    private OutputStream out;
    private long size;
    private long nextIndex;
    private long writeErrors;
    private String lastError;
    private boolean failing;
    private boolean closed;

    private OperatorLogFile(Path path, LogRotation rotation) {
        this.path = path;
        this.rotation = rotation;
        this.rotatedName = Pattern.compile(Pattern.quote(path.getFileName().toString()) + "\\.(\\d{1,18})(\\.gz)?");
    }

    /**
     * Opens {@code file} for appending (creating it and its folders), ready to rotate by {@code rotation}.
     *
     * @param file the active file, e.g. {@code /var/log/cortex/operator.log}
     * @param rotation when it rotates and what is kept
     * @return the open file
     * @throws NullPointerException when an argument is null
     * @throws UncheckedIOException when the file cannot be created or opened
     */
    public static OperatorLogFile open(Path file, LogRotation rotation) {
        Preconditions.notNull(file, "file");
        Preconditions.notNull(rotation, "rotation");
        Path absolute = file.toAbsolutePath().normalize();
        Preconditions.argument(absolute.getFileName() != null, "file '%s' names no file", file);
        OperatorLogFile f = new OperatorLogFile(absolute, rotation);
        try {
            Path dir = absolute.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            f.nextIndex = f.rotated().stream().mapToLong(f::indexOf).max().orElse(0) + 1;
            synchronized (f) {
                f.openActive();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the operator log file " + absolute + ": " + e.getMessage(), e);
        }
        f.prune();
        return f;
    }

    /**
     * The active file.
     *
     * @return its absolute path
     */
    public Path path() {
        return path;
    }

    /**
     * The rotation in force.
     *
     * @return the settings
     */
    public synchronized LogRotation rotation() {
        return rotation;
    }

    /**
     * Changes the rotation: a new size applies from the next record, fewer files are pruned now, a
     * change of compression applies to the files rotated from now on.
     *
     * @param next the new settings
     * @throws NullPointerException when {@code next} is null
     */
    public void rotation(LogRotation next) {
        Preconditions.notNull(next, "rotation");
        synchronized (this) {
            rotation = next;
        }
        prune();
    }

    /**
     * Appends {@code record} as one JSON line, rotating first when the line would take the file past
     * its size. Never throws: a failure is counted and logged.
     *
     * @param record the record
     */
    public void write(OperatorLogRecord record) {
        byte[] line;
        try {
            byte[] json = CortexJson.mapper().writeValueAsBytes(record);
            line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
        } catch (JsonProcessingException e) {
            failed("cannot write record " + record.sequence() + " as JSON", e);
            return;
        }
        Path rotated = null;
        boolean gzip;
        synchronized (this) {
            if (closed) {
                return;
            }
            gzip = rotation.compress();
            try {
                if (out == null) {
                    openActive();
                }
                if (size > 0 && size + line.length > rotation.maxSizeBytes()) {
                    rotated = rotateActive();
                }
                out.write(line);
                out.flush();
                size += line.length;
                if (failing) {
                    LOG.info("operator log file {} is written again", path);
                    failing = false;
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly();
                failed("cannot write the operator log file " + path, e);
                return;
            }
        }
        if (rotated != null) {
            // outside the write lock: records go on reaching the new file while the old one is gzipped
            if (gzip) {
                compress(rotated);
            }
            prune();
        }
    }

    /** Renames the active file to the next index and opens a new one; returns the renamed file. */
    private Path rotateActive() throws IOException {
        out.close();
        out = null;
        Path target = path.resolveSibling(path.getFileName() + "." + nextIndex++);
        Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        openActive();
        return target;
    }

    private void openActive() throws IOException {
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(path);
    }

    /** Gzips {@code file} to {@code file.gz} (through a temporary file) and deletes it. */
    private void compress(Path file) {
        synchronized (housekeeping) {
            Path gz = file.resolveSibling(file.getFileName() + ".gz");
            Path tmp = file.resolveSibling(file.getFileName() + ".gz.tmp");
            try {
                try (InputStream in = Files.newInputStream(file);
                        OutputStream zip = new GZIPOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
                    in.transferTo(zip);
                }
                Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.delete(file);
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                failed("cannot gzip the rotated operator log file " + file + " (kept uncompressed)", e);
            }
        }
    }

    /** Deletes the oldest rotated files beyond {@link LogRotation#maxFiles()}. */
    private void prune() {
        int keep = rotation().maxFiles();
        synchronized (housekeeping) {
            try {
                List<Path> all = rotated();
                for (int i = keep; i < all.size(); i++) {
                    Files.deleteIfExists(all.get(i));
                }
            } catch (IOException e) {
                failed("cannot delete old operator log files next to " + path, e);
            }
        }
    }

    /**
     * The rotated files kept, newest first.
     *
     * @return their paths
     */
    public List<Path> rotatedFiles() {
        try {
            return rotated();
        } catch (IOException e) {
            return List.of();
        }
    }

    private List<Path> rotated() throws IOException {
        List<Path> out = new ArrayList<>();
        Path dir = path.getParent();
        DirectoryStream.Filter<Path> isRotated = p -> rotatedName.matcher(p.getFileName().toString()).matches();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, isRotated)) {
            files.forEach(out::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        out.sort(Comparator.comparingLong(this::indexOf).reversed());
        return out;
    }

    private long indexOf(Path p) {
        Matcher m = rotatedName.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * The size of the active file.
     *
     * @return bytes
     */
    public synchronized long activeBytes() {
        return size;
    }

    /**
     * The size of the active file and every rotated file kept.
     *
     * @return bytes
     */
    public long totalBytes() {
        long total = activeBytes();
        for (Path p : rotatedFiles()) {
            try {
                total += Files.size(p);
            } catch (IOException e) {
                // deleted meanwhile
            }
        }
        return total;
    }

    /**
     * How many records or housekeeping steps failed since the file was opened.
     *
     * @return the count
     */
    public synchronized long writeErrors() {
        return writeErrors;
    }

    /**
     * The latest failure, if any.
     *
     * @return what failed and why
     */
    public synchronized Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    private synchronized void failed(String what, Exception e) {
        writeErrors++;
        lastError = what + ": " + e;
        if (!failing) {
            LOG.warn("{}; the operator log keeps its records in memory", what, e);
            failing = true;
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // closing after a failure
            }
            out = null;
        }
    }

    /** Closes the active file; later records are not written. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly();
    }

    /**
     * Describes the file.
     *
     * @return e.g. {@code OperatorLogFile[/var/log/cortex/operator.log, LogRotation[…]]}
     */
    @Override
    public synchronized String toString() {
        return "OperatorLogFile[" + path + ", " + rotation + "]";
    }
}
