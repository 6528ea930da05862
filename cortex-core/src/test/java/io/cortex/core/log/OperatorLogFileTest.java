package io.cortex.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.json.CortexJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator log's file: JSON lines, size-based rotation, files kept, gzip; all driven by writes. */
class OperatorLogFileTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();

    /** A message that makes each line a little over 200 bytes. */
    private static String message(int i) {
        return String.format("record %04d ", i) + "x".repeat(120);
    }

    private static List<String> lines(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
        }
        return Files.readAllLines(file);
    }

    private static List<Path> names(OperatorLogFile file) {
        return file.rotatedFiles().stream().map(Path::getFileName).toList();
    }

    @Test
    void everyRecordIsOneJsonLineAsTheApiShowsIt() throws IOException {
        Path path = dir.resolve("logs/operator.log");
        try (OperatorLog log = new OperatorLog(100, clock, OperatorLogFile.open(path, LogRotation.ofDefaults()))) {
            log.warn("provider-auth", "alpha", null, "AUTH_FAILED", "credential refresh failed");
            log.info("scheduler", null, "job_1", null, "placed");
        }

        List<String> lines = Files.readAllLines(path);
        assertThat(lines).hasSize(2);
        JsonNode first = CortexJson.mapper().readTree(lines.get(0));
        assertThat(first.get("sequence").asLong()).isZero();
        assertThat(first.get("level").asText()).isEqualTo("WARN");
        assertThat(first.get("provider").asText()).isEqualTo("alpha");
        assertThat(first.get("reason").asText()).isEqualTo("AUTH_FAILED");
        assertThat(first.has("jobId")).isFalse();
        assertThat(CortexJson.mapper().readValue(lines.get(1), OperatorLogRecord.class).jobId()).isEqualTo("job_1");
    }

    @Test
    void theFileRotatesAtItsSizeAndKeepsOnlyMaxFilesRotatedFiles() throws IOException {
        Path path = dir.resolve("operator.log");
        OperatorLogFile file = OperatorLogFile.open(path, LogRotation.of(1024, 2, false));
        try (OperatorLog log = new OperatorLog(1000, clock, file)) {
            for (int i = 0; i < 20; i++) {
                log.info("scheduler", null, null, null, message(i));
                assertThat(Files.size(path)).isLessThanOrEqualTo(1024);
            }

            assertThat(names(file)).hasSize(2);
            List<String> all = new ArrayList<>();
            List<Path> oldestFirst = new ArrayList<>(file.rotatedFiles());
            java.util.Collections.reverse(oldestFirst);
            for (Path p : oldestFirst) {
                all.addAll(lines(p));
            }
            all.addAll(lines(path));
            // the newest records are all there, in order, and nothing beyond the kept files
            assertThat(all).isNotEmpty();
            assertThat(all.get(all.size() - 1)).contains("record 0019");
            List<Long> sequences = new ArrayList<>();
            for (String l : all) {
                sequences.add(CortexJson.mapper().readTree(l).get("sequence").asLong());
            }
            assertThat(sequences).isSorted().doesNotHaveDuplicates();
            assertThat(sequences.get(sequences.size() - 1) - sequences.get(0) + 1).isEqualTo(sequences.size());
        }
    }

    @Test
    void rotatedFilesAreGzippedWhenCompressionIsOn() throws IOException {
        Path path = dir.resolve("operator.log");
        OperatorLogFile file = OperatorLogFile.open(path, LogRotation.of(1024, 5, true));
        try (OperatorLog log = new OperatorLog(1000, clock, file)) {
            for (int i = 0; i < 8; i++) {
                log.info("scheduler", null, null, null, message(i));
            }

            assertThat(names(file)).isNotEmpty().allSatisfy(p -> assertThat(p.toString()).matches("operator\\.log\\.\\d+\\.gz"));
            Path oldest = file.rotatedFiles().get(file.rotatedFiles().size() - 1);
            assertThat(lines(oldest).get(0)).contains("record 0000");
            assertThat(Files.size(oldest)).isLessThan(1024);
            try (var listing = Files.list(dir)) {
                assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    @Test
    void changingTheRotationAtRunTimePrunesAtOnceAndRotatesAtTheNewSize() throws IOException {
        Path path = dir.resolve("operator.log");
        OperatorLogFile file = OperatorLogFile.open(path, LogRotation.of(1024, 10, false));
        try (OperatorLog log = new OperatorLog(1000, clock, file)) {
            for (int i = 0; i < 30; i++) {
                log.info("scheduler", null, null, null, message(i));
            }
            assertThat(names(file)).hasSizeGreaterThan(3);

            file.rotation(LogRotation.of(4096, 3, true));
            assertThat(names(file)).hasSize(3);

            while (names(file).stream().noneMatch(p -> p.toString().endsWith(".gz"))) {
                log.info("scheduler", null, null, null, message(99));
                assertThat(Files.size(path)).isLessThanOrEqualTo(4096);
            }
            assertThat(names(file)).hasSize(3);
            assertThat(names(file).get(0).toString()).endsWith(".gz");
        }
    }

    @Test
    void reopeningAppendsAndContinuesTheNumbering() throws IOException {
        Path path = dir.resolve("operator.log");
        OperatorLogFile first = OperatorLogFile.open(path, LogRotation.of(1024, 10, false));
        try (OperatorLog log = new OperatorLog(1000, clock, first)) {
            for (int i = 0; i < 10; i++) { // four lines a file: two lines left in the active one
                log.info("scheduler", null, null, null, message(i));
            }
        }
        Path newestBefore = first.rotatedFiles().get(0);
        long linesBefore = lines(path).size();

        OperatorLogFile second = OperatorLogFile.open(path, LogRotation.of(1024, 10, false));
        try (OperatorLog log = new OperatorLog(1000, clock, second)) {
            log.info("scheduler", null, null, null, "after restart");
            assertThat(lines(path)).hasSize((int) linesBefore + 1);
            for (int i = 0; i < 6; i++) {
                log.info("scheduler", null, null, null, message(i));
            }
        }
        assertThat(second.rotatedFiles().get(0).toString()).isNotEqualTo(newestBefore.toString());
        assertThat(second.rotatedFiles()).contains(newestBefore);
    }

    @Test
    void aFailingDiskKeepsTheRecordsInTheRingCountsTheErrorAndRecovers() throws IOException {
        Path logs = dir.resolve("logs");
        Path path = logs.resolve("operator.log");
        OperatorLogFile file = OperatorLogFile.open(path, LogRotation.of(1024, 2, false));
        try (OperatorLog log = new OperatorLog(100, clock, file)) {
            log.info("scheduler", null, null, null, "before");
            // the folder is replaced by a plain file: the next rotation cannot happen
            for (Path p : file.rotatedFiles()) {
                Files.delete(p);
            }
            Files.delete(path);
            Files.delete(logs);
            Files.writeString(logs, "not a folder");

            log.warn("scheduler", null, null, null, "while the disk fails " + "x".repeat(1000)); // must rotate

            assertThat(file.writeErrors()).isPositive();
            assertThat(file.lastError()).hasValueSatisfying(e -> assertThat(e).contains("operator.log"));
            assertThat(log.query(null, null, null, null, null, 10)).extracting(OperatorLogRecord::message)
                    .hasSize(2).last().asString().startsWith("while the disk fails");

            Files.delete(logs);
            Files.createDirectories(logs);
            log.info("scheduler", null, null, null, "recovered");
            assertThat(Files.readAllLines(path)).singleElement().asString().contains("recovered");
        }
    }

    @Test
    void theEngineWritesItsOperatorLogToTheConfiguredFile() throws IOException {
        Path path = dir.resolve("engine/operator.log");
        try (Cortex cortex = Cortex.builder().clock(clock).manual().operatorLogFile(path, LogRotation.of(2048, 2, true)).build()) {
            assertThat(cortex.operatorLog().file()).hasValueSatisfying(f -> assertThat(f.path()).isEqualTo(path.toAbsolutePath()));
        }
        assertThat(Files.readAllLines(path)).anySatisfy(l -> assertThat(l).contains("engine started"));
    }
}
