package io.cortex.store.jdbc;

import io.cortex.core.Cortex;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.core.store.JobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Engines as the crash and multi-engine tests run them, in this JVM or in a child JVM. */
final class TestEngines {
    private TestEngines() {}

    /** The no-op job every engine submits. */
    static final JobSpec SPEC = JobSpec.builder().image("acme/noop:1").label("test", "durable").build();

    /** An engine on {@code store} with the ledger provider and a listener writing to the ledger. */
    static Cortex start(String name, JobStore store, Ledger ledger, Duration runFor, Duration tick) {
        return Cortex.builder()
                .store(store)
                .provider(new LedgerProvider(runFor, ledger, name, Clock.systemUTC()))
                .listener(e -> ledger.delivered(name, e))
                .tickInterval(tick)
                .pollInterval(Duration.ofMillis(100))
                .callTimeout(Duration.ofSeconds(3))
                .workerThreads(4)
                .build();
    }

    /** Submits {@code count} jobs, recording each one the engine accepted. */
    static List<Job> submit(Cortex engine, String name, Ledger ledger, int count) {
        List<Job> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Job job = engine.submit(SPEC);
            ledger.accepted(name, job.id());
            out.add(job);
        }
        return out;
    }

    /**
     * Starts {@link EngineChild} in a new JVM with this JVM's class path, its output in
     * {@code dir/<name>.out} and {@code .err}.
     */
    static Process child(Path dir, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), EngineChild.class.getName(), "name=" + name));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    /** The child's standard output so far. */
    static String output(Path dir, String name) throws IOException {
        Path p = dir.resolve(name + ".out");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** What the child {@code name} logged about the outbox lease (taken, lost and how late its heartbeat was). */
    static String leaseLog(Path dir, String name) throws IOException {
        Path p = dir.resolve(name + ".err");
        if (!Files.exists(p)) {
            return "";
        }
        try (Stream<String> lines = Files.lines(p)) {
            return lines.filter(l -> l.contains("outbox lease")).collect(Collectors.joining("\n", "\n", ""));
        }
    }

    /** The last lines of the child's standard error, for a failure message. */
    static String errors(Path dir, String name) throws IOException {
        Path p = dir.resolve(name + ".err");
        if (!Files.exists(p)) {
            return "";
        }
        List<String> lines = Files.readAllLines(p);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
