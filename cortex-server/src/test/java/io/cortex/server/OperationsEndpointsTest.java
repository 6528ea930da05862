package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.log.LogRotation;
import io.cortex.core.log.OperatorLogFile;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.server.TestServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator guide's system paths about the host: processes, logging configuration, requirements,
 * storage, upgrade logs, and the hosted-deployment paths that answer with where to look instead.
 */
class OperationsEndpointsTest {
    private static final String LOGGING = "/api/system/logging/config";
    private static final String GUIDE_LOGGING_BODY = "{\"maxSize\": \"100MB\", \"maxFiles\": 10, \"compressionEnabled\": true}";

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    /** An engine and server without an operator log file. */
    @Nested
    class InMemory {
        private final TestServer t = new TestServer();

        @AfterEach
        void close() {
            t.close();
        }

        @Test
        void theGuidesLoggingBodyBoundsTheRingAndSaysWhichFieldsCouldNotApply() {
            Reply r = t.put(LOGGING, t.admin, GUIDE_LOGGING_BODY);

            assertThat(r.status()).isEqualTo(200);
            JsonNode b = r.json();
            assertThat(b.at("/ring/maxBytes").asLong()).isEqualTo(100_000_000L);
            assertThat(b.get("file").isNull()).isTrue();
            assertThat(b.get("applied").fieldNames()).toIterable().containsExactly("maxSize");
            assertThat(b.at("/applied/maxSize").asText()).contains("100000000 bytes");
            assertThat(b.get("notApplied").fieldNames()).toIterable().containsExactly("maxFiles", "compressionEnabled");
            assertThat(b.at("/notApplied/maxFiles").asText()).contains("no operator log file is configured");
            assertThat(t.cortex.operatorLog().maxBytes()).isEqualTo(100_000_000L);
            assertThat(t.get("/api/system/logs?service=operator-log", t.admin).json().get(0).get("message").asText())
                    .contains("operator log settings changed by key " + t.admin.key().id());
        }

        @Test
        void aSmallRingBudgetDropsOldRecordsAtOnce() {
            for (int i = 0; i < 20; i++) {
                t.cortex.operatorLog().info("scheduler", null, null, null, "filler record " + i + " " + "x".repeat(200));
            }

            Reply r = t.put(LOGGING, t.admin, "{\"maxSize\": 1024}");

            assertThat(r.json().at("/ring/bytes").asLong()).isLessThanOrEqualTo(1024);
            assertThat(t.cortex.operatorLog().size()).isBetween(1, 4);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "{\"maxSize\":\"100XB\"}|maxSize/format",
                "{\"maxSize\":\"lots\"}|maxSize/format",
                "{\"maxSize\":12}|maxSize/range",
                "{\"maxSize\":\"2TiB\"}|maxSize/range",
                "{\"maxSize\":true}|maxSize/type",
                "{\"maxSize\":\"100MB\",\"maxFiles\":0}|maxFiles/range",
                "{\"maxSize\":\"100MB\",\"maxFiles\":\"ten\"}|maxFiles/type",
                "{\"maxSize\":\"100MB\",\"compressionEnabled\":\"yes\"}|compressionEnabled/type",
                "{\"maxSize\":\"100MB\",\"rotate\":true}|rotate/unknown-field",
                "{}|body/required",
                "[1]|body/type",
                "{\"maxSize\":|body/json"})
        void aBadBodyIs400NamingTheFieldAndTheRuleAndChangesNothing(String body, String error) {
            Reply r = t.put(LOGGING, t.admin, body);

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.firstError()).isEqualTo(error);
            assertThat(t.cortex.operatorLog().maxBytes()).isZero();
        }

        @Test
        void readKeysSeeTheHostButNotTheLoggingConfiguration() {
            assertThat(t.put(LOGGING, t.reader, GUIDE_LOGGING_BODY).status()).isEqualTo(403);
            assertThat(t.put(LOGGING, t.writer, GUIDE_LOGGING_BODY).status()).isEqualTo(403);
            assertThat(t.get(LOGGING, t.reader).json().get("requiredScope").asText()).isEqualTo("admin");
            assertThat(t.get("/api/system/database/migrations", t.reader).status()).isEqualTo(403);
            assertThat(t.get("/api/system/processes", t.reader).status()).isEqualTo(200);
            assertThat(t.get("/api/system/requirements", t.reader).status()).isEqualTo(200);
            assertThat(t.get("/api/system/storage", t.reader).status()).isEqualTo(200);
            assertThat(t.get("/api/system/processes", null).status()).isEqualTo(401);
            assertThat(t.get(LOGGING, t.admin).status()).isEqualTo(200);
            assertThat(t.cortex.operatorLog().maxBytes()).isZero();
        }

        @Test
        void requirementsCheckJavaMemoryCoresAndTheStoreAgainstStatedMinimums() {
            JsonNode r = t.get("/api/system/requirements", t.reader).json();

            assertThat(r.get("ok").asBoolean()).isTrue();
            assertThat(texts(r.get("checks"), "name")).containsExactly("java", "memory", "cores", "store");
            r.get("checks").forEach(c -> {
                assertThat(c.get("required").asText()).isNotBlank();
                assertThat(c.get("actual").asText()).isNotBlank();
                assertThat(c.get("ok").asBoolean()).isTrue();
            });
            assertThat(r.at("/checks/0/required").asText()).isEqualTo("Java 17 or later");
            assertThat(r.at("/checks/0/actual").asText()).startsWith("Java " + Runtime.version().feature());
            assertThat(r.at("/checks/3/actual").asText()).startsWith("in-memory (");
        }

        @Test
        void storageOfTheInMemoryStoreIsAnEstimateInPlainWords() {
            for (int i = 0; i < 3; i++) {
                t.submit("{\"image\":\"acme/train:1\",\"labels\":{\"run\":\"" + i + "\"}}");
            }

            JsonNode r = t.get("/api/system/storage", t.reader).json();

            assertThat(r.get("summary").asText()).matches("in memory: 3 jobs retained, ≈ [0-9.]+ (KiB|bytes)");
            assertThat(r.at("/store/kind").asText()).isEqualTo("in-memory");
            assertThat(r.at("/store/durable").asBoolean()).isFalse();
            assertThat(r.at("/store/jobs").asLong()).isEqualTo(3);
            assertThat(r.at("/store/usedBytes").asLong()).isBetween(1_000L, 100_000L);
            assertThat(r.at("/store/filesystem").isNull()).isTrue();
            assertThat(r.at("/operatorLog/ringRecords").asInt()).isPositive();
        }

        @Test
        void upgradeLogsSayThereIsNoSchemaWithoutADurableStore() {
            JsonNode r = t.get("/api/system/logs?service=upgrade", t.admin).json();

            assertThat(r).hasSize(1);
            assertThat(r.at("/0/service").asText()).isEqualTo("upgrade");
            assertThat(r.at("/0/reason").asText()).isEqualTo("NO_DURABLE_STORE");
            assertThat(r.at("/0/message").asText()).contains("InMemoryJobStore").contains("cortex-store-jdbc");
            assertThat(t.get("/api/system/database/migrations", t.admin).status()).isEqualTo(501);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "GET|/api/system/containers|/api/plugin-core/jobs",
                "GET|/api/system/containers/c1/logs|/api/plugin-core/jobs/{jobId}/logs",
                "POST|/api/system/containers/c1/restart|/api/plugin-core/jobs/{jobId}/resubmit",
                "PUT|/api/system/containers/c1/resources|/api/plugin-core/jobs/{jobId}",
                "POST|/api/system/rollback|/api/system/logs?service=upgrade"})
        void hostedDeploymentPathsSayWhyAndWhereToLookInstead(String method, String path, String instead) {
            String body = method.equals("GET") ? null : path.endsWith("rollback") ? "{\"version\": \"previous-stable-version\"}"
                    : "{\"cpu\": \"1.0\", \"memory\": \"1Gi\"}";

            Reply r = t.send(method, path, t.admin, body);

            assertThat(r.status()).isEqualTo(501);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/unsupported");
            assertThat(r.json().get("detail").asText()).startsWith("not served by an embedded Cortex engine: ");
            assertThat(r.json().get("feature").asText()).isEqualTo("embedded");
            assertThat(r.json().get("seeInstead").toString()).contains(instead);
            assertThat(t.send(method, path, t.reader, body).status()).isEqualTo(method.equals("GET") ? 501 : 403);
        }
    }

    /** An engine whose operator log also goes to a file. */
    @Nested
    class WithALogFile {
        @TempDir
        Path dir;

        private TestServer t;

        private TestServer server(LogRotation rotation) {
            t = new TestServer(e -> e.operatorLogFile(dir.resolve("operator.log"), rotation), s -> {});
            return t;
        }

        @AfterEach
        void close() {
            if (t != null) {
                t.close();
            }
        }

        @Test
        void theGuidesLoggingBodyChangesTheFilesRotation() {
            server(LogRotation.ofDefaults().withCompression(false));

            Reply r = t.put(LOGGING, t.admin, GUIDE_LOGGING_BODY);

            assertThat(r.status()).isEqualTo(200);
            JsonNode b = r.json();
            assertThat(b.get("applied").fieldNames()).toIterable().containsExactly("maxSize", "maxFiles", "compressionEnabled");
            assertThat(b.get("notApplied").size()).isZero();
            assertThat(b.at("/file/path").asText()).isEqualTo(dir.resolve("operator.log").toAbsolutePath().toString());
            assertThat(b.at("/file/maxSize").asLong()).isEqualTo(100_000_000L);
            assertThat(b.at("/file/maxFiles").asInt()).isEqualTo(10);
            assertThat(b.at("/file/compressionEnabled").asBoolean()).isTrue();
            assertThat(t.cortex.operatorLog().file().map(OperatorLogFile::rotation)).contains(LogRotation.of(100_000_000L, 10, true));
        }

        @Test
        void aBadBodyLeavesTheFilesRotationAsItWas() {
            server(LogRotation.of(4096, 3, false));

            Reply r = t.put(LOGGING, t.admin, "{\"maxSize\":\"100MB\",\"maxFiles\":1001,\"compressionEnabled\":true}");

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.firstError()).isEqualTo("maxFiles/range");
            assertThat(t.cortex.operatorLog().file().map(OperatorLogFile::rotation)).contains(LogRotation.of(4096, 3, false));
            assertThat(t.cortex.operatorLog().maxBytes()).isZero();
        }

        @Test
        void writesRotateAndGzipTheFileAsConfiguredOverHttp() throws Exception {
            server(LogRotation.ofDefaults());
            assertThat(t.put(LOGGING, t.admin, "{\"maxSize\": \"1KiB\", \"maxFiles\": 2, \"compressionEnabled\": true}").status())
                    .isEqualTo(200);

            for (int i = 0; i < 25; i++) { // each restart writes an operator log record
                assertThat(t.post("/api/system/services/metrics/restart", t.admin, null).status()).isEqualTo(200);
            }

            JsonNode file = t.get(LOGGING, t.admin).json().get("file");
            assertThat(file.get("rotatedFiles")).hasSize(2);
            file.get("rotatedFiles").forEach(n -> assertThat(n.asText()).matches("operator\\.log\\.\\d+\\.gz"));
            assertThat(file.get("activeBytes").asLong()).isBetween(1L, 1024L);
            assertThat(file.get("writeErrors").asLong()).isZero();
            assertThat(Files.readAllLines(dir.resolve("operator.log"))).allSatisfy(l -> assertThat(l).startsWith("{\"sequence\":"));
            try (var files = Files.list(dir)) {
                assertThat(files.count()).isEqualTo(3);
            }
        }

        @Test
        void requirementsAndStorageIncludeTheLogFilesDisk() {
            server(LogRotation.ofDefaults());

            JsonNode req = t.get("/api/system/requirements", t.reader).json();
            JsonNode storage = t.get("/api/system/storage", t.reader).json();

            assertThat(texts(req.get("checks"), "name")).contains("operator-log-disk");
            assertThat(req.get("ok").asBoolean()).isTrue();
            assertThat(storage.at("/operatorLog/file").asText()).endsWith("operator.log");
            assertThat(storage.at("/operatorLog/fileBytes").asLong()).isPositive();
            assertThat(storage.at("/operatorLog/filesystem/usableBytes").asLong()).isPositive();
        }
    }

    /** Processes need the engine's own threads: an engine with background threads. */
    @Nested
    class Threads {
        private final ManualClock clock = new ManualClock();
        private final Cortex cortex = Cortex.builder().clock(clock).provider(InMemoryProvider.builder("solo").clock(clock).build())
                .build();
        private final ApiKeys keys = new ApiKeys(clock);
        private final GeneratedApiKey reader = keys.generate("reader", Scope.READ);
        private final CortexServer server = CortexServer.builder().cortex(cortex).apiKeys(keys).start();

        @AfterEach
        void close() {
            server.close();
            cortex.close();
        }

        @Test
        void processesGroupTheEnginesThreadsByServiceWithStateAndCpuTime() throws Exception {
            HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.uri()
                    + "/api/system/processes")).header("Authorization", "Bearer " + reader.token()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(resp.statusCode()).isEqualTo(200);
            JsonNode p = new Reply(resp.statusCode(), resp.headers(), resp.body()).json();
            assertThat(p.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(p.at("/threads/live").asInt()).isPositive();
            JsonNode groups = p.get("groups");
            assertThat(texts(groups, "name")).contains("engine-scheduler", "event-dispatcher", "http-server", "host");
            JsonNode scheduler = group(groups, "engine-scheduler");
            assertThat(scheduler.get("services").toString()).contains("scheduler", "provider-monitor", "metrics");
            JsonNode thread = scheduler.at("/threads/0");
            assertThat(thread.get("name").asText()).isEqualTo("cortex-scheduler");
            assertThat(thread.get("state").asText()).isIn("RUNNABLE", "WAITING", "TIMED_WAITING", "BLOCKED");
            assertThat(thread.get("daemon").asBoolean()).isTrue();
            if (p.get("threadCpuTimeMeasured").asBoolean()) {
                assertThat(thread.get("cpuTimeNanos").asLong()).isNotNegative();
                assertThat(scheduler.get("cpuTimeNanos").asLong()).isEqualTo(thread.get("cpuTimeNanos").asLong());
            }
            assertThat(group(groups, "event-dispatcher").at("/threads/0/name").asText()).isEqualTo("cortex-events");
            assertThat(texts(p.get("services"), "name")).containsExactly("scheduler", "provider-monitor", "event-dispatcher",
                    "metrics");
            assertThat(p.at("/services/0/state").asText()).isEqualTo("running");
        }

        private JsonNode group(JsonNode groups, String name) {
            for (JsonNode g : groups) {
                if (g.get("name").asText().equals(name)) {
                    return g;
                }
            }
            throw new AssertionError("no group " + name + " in " + groups);
        }
    }
}
