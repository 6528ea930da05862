package io.cortex.provider.process.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds and kills every process of one job: the process Cortex started, its descendants, and on
 * Linux also every process whose environment carries the job's marker variable, so that children
 * which were re-parented (a parent that exited, a double fork) are found too.
 *
 * <p>Only the JDK is used: {@link ProcessHandle} for the tree and {@code /proc} for markers and for
 * telling zombies (dead but not yet reaped) from live processes.
 */
public final class ProcessTree {
    /** The environment variable the provider sets on every job's process to find its whole tree. */
    public static final String MARKER_VARIABLE = "CORTEX_PROCESS_TOKEN";

    private static final Path PROC = Path.of("/proc");
    private static final Duration FORCED_WAIT = Duration.ofSeconds(2);

    private ProcessTree() {}

    /**
     * The processes of a job that are still running: {@code root} when it runs, its descendants, and
     * the processes carrying {@code token} in {@link #MARKER_VARIABLE}.
     *
     * @throws NullPointerException when an argument is null
     */
    public static Set<ProcessHandle> members(ProcessHandle root, String token) {
        Objects.requireNonNull(root, "root cannot be null");
        Objects.requireNonNull(token, "token cannot be null");
        Set<ProcessHandle> out = new LinkedHashSet<>();
        if (isRunning(root)) {
            out.add(root);
        }
        root.descendants().filter(ProcessTree::isRunning).forEach(out::add);
        out.addAll(marked(token));
        return out;
    }

    /**
     * Kills a job's processes: asks them to stop (SIGTERM), waits up to {@code grace}, then kills what
     * is left and any process that appeared meanwhile (SIGKILL), until none is left or a few rounds
     * have passed. Blocks for at most about {@code grace} plus a few seconds.
     *
     * @return the processes that could not be killed (normally empty)
     * @throws NullPointerException when an argument is null
     */
    public static Set<ProcessHandle> kill(ProcessHandle root, String token, Duration grace) {
        Objects.requireNonNull(grace, "grace cannot be null");
        Set<ProcessHandle> members = members(root, token);
        if (!grace.isZero() && !grace.isNegative()) {
            members.forEach(ProcessTree::terminate);
            awaitGone(members, grace);
        }
        Set<ProcessHandle> alive = new LinkedHashSet<>(members);
        for (int round = 0; round < 5; round++) {
            Set<ProcessHandle> next = new LinkedHashSet<>();
            for (ProcessHandle h : alive) {
                if (isRunning(h)) {
                    next.add(h);
                    h.descendants().filter(ProcessTree::isRunning).forEach(next::add);
                }
            }
            next.addAll(members(root, token));
            if (next.isEmpty()) {
                return Set.of();
            }
            next.forEach(ProcessTree::forceKill);
            awaitGone(next, FORCED_WAIT);
            alive = next;
        }
        Set<ProcessHandle> left = new LinkedHashSet<>();
        alive.stream().filter(ProcessTree::isRunning).forEach(left::add);
        return left;
    }

    /**
     * True when the process exists and is not a zombie (dead, waiting to be reaped by its parent).
     *
     * @throws NullPointerException when {@code handle} is null
     */
    public static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        Path stat = PROC.resolve(Long.toString(handle.pid())).resolve("stat");
        try {
            String text = Files.readString(stat, StandardCharsets.ISO_8859_1);
            int close = text.lastIndexOf(')');
            if (close > 0 && close + 2 < text.length()) {
                char state = text.charAt(close + 2);
                return state != 'Z' && state != 'X' && state != 'x';
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return handle.isAlive() && !Files.isDirectory(PROC);
        }
    }

    private static void terminate(ProcessHandle h) {
        try {
            h.destroy();
        } catch (RuntimeException ignored) {
            // the current process, or a process we may not signal: nothing to do
        }
    }

    private static void forceKill(ProcessHandle h) {
        try {
            h.destroyForcibly();
        } catch (RuntimeException ignored) {
            // the current process, or a process we may not signal: nothing to do
        }
    }

    private static void awaitGone(Set<ProcessHandle> handles, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (handles.stream().anyMatch(ProcessTree::isRunning) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Processes whose environment holds {@code MARKER_VARIABLE=token}; empty where there is no {@code /proc}. */
    private static List<ProcessHandle> marked(String token) {
        List<ProcessHandle> out = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return out;
        }
        byte[] needle = (MARKER_VARIABLE + "=" + token).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                byte[] environ;
                try {
                    environ = Files.readAllBytes(dir.resolve("environ"));
                } catch (IOException | SecurityException e) {
                    continue; // gone, or another user's process
                }
                if (containsEntry(environ, needle)) {
                    ProcessHandle.of(pid).filter(ProcessTree::isRunning).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code environ} (NUL-separated entries) has an entry equal to {@code entry}. */
    static boolean containsEntry(byte[] environ, byte[] entry) {
        int start = 0;
        for (int i = 0; i <= environ.length; i++) {
            if (i == environ.length || environ[i] == 0) {
                if (i - start == entry.length) {
                    boolean same = true;
                    for (int k = 0; k < entry.length; k++) {
                        if (environ[start + k] != entry[k]) {
                            same = false;
                            break;
                        }
                    }
                    if (same) {
                        return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }
}
