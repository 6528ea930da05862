package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.store.JobStore;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.server.TestServer.Reply;
import io.cortex.store.jdbc.JdbcJobStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Storage, requirements and upgrade logs served from durable stores: an H2 file, PostgreSQL, and a failing database. */
class OperationsOnDurableStoresTest {
    /** One engine on {@code store} behind a server, with an admin and a read key. */
    static final class Fixture implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final Cortex cortex;
        final ApiKeys keys = new ApiKeys(clock);
        final GeneratedApiKey admin = keys.generate("admin", Scope.ADMIN);
        final GeneratedApiKey reader = keys.generate("reader", Scope.READ);
        final CortexServer server;
        final HttpClient http = HttpClient.newHttpClient();

        Fixture(JobStore store) {
            cortex = Cortex.builder().clock(clock).manual().store(store).provider(InMemoryProvider.builder("solo").clock(clock).build())
                    .build();
            server = CortexServer.builder().cortex(cortex).apiKeys(keys).start();
        }

        Reply get(String path, GeneratedApiKey key) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.uri() + path))
                    .header("Authorization", "Bearer " + key.token()).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        }

        void submit(int jobs) {
            for (int i = 0; i < jobs; i++) {
                cortex.submit(io.cortex.core.job.JobSpec.builder().image("acme/etl:" + i).build());
            }
        }

        @Override
        public void close() {
            server.close();
            cortex.close();
        }
    }

    /** The upgrade log holds the first migration, and the migrations end with {@code latestScript}. */
    private static void upgradeLogShowsTheFirstMigration(Fixture f, String user, String latestScript) throws Exception {
        Reply r = f.get("/api/system/logs?service=upgrade", f.admin);

        assertThat(r.status()).isEqualTo(200);
        JsonNode v1 = null;
        for (JsonNode rec : r.json()) {
            if (rec.get("message").asText().contains("V1")) {
                v1 = rec;
            }
        }
        assertThat(v1).as("the V1 record in %s", r.body()).isNotNull();
        assertThat(v1.get("service").asText()).isEqualTo("upgrade");
        assertThat(v1.get("level").asText()).isEqualTo("INFO");
        assertThat(v1.get("reason").asText()).isEqualTo("SCHEMA_MIGRATED");
        assertThat(v1.get("message").asText()).startsWith("schema migration V1 'jobs events outbox leases' "
                + "(V1__jobs_events_outbox_leases.sql, SQL) applied" + (user.isEmpty() ? "" : " by " + user) + " in ");
        assertThat(v1.get("sequence").asLong()).isEqualTo(1); // Flyway's rank: its own table-created row, if any, is -1
        java.util.List<Long> sequences = new java.util.ArrayList<>();
        r.json().forEach(rec -> sequences.add(rec.get("sequence").asLong()));
        assertThat(sequences).isSorted();
        assertThat(r.json()).allSatisfy(rec -> assertThat(rec.get("level").asText()).isEqualTo("INFO"));
        assertThat(f.get("/api/system/logs?service=upgrade&level=ERROR", f.admin).json()).isEmpty();
        assertThat(f.get("/api/system/logs?service=upgrade&provider=solo", f.admin).json()).isEmpty();

        JsonNode migrations = f.get("/api/system/database/migrations", f.admin).json();
        JsonNode last = migrations.get(migrations.size() - 1);
        assertThat(last.get("version").asText()).isEqualTo(latestScript.substring(1, latestScript.indexOf("__")));
        assertThat(last.get("script").asText()).isEqualTo(latestScript);
        assertThat(last.get("success").asBoolean()).isTrue();
        assertThat(last.get("installedOn").asText()).isNotBlank();
    }

    @Nested
    class OnAnH2File {
        @TempDir
        Path dir;

        private Fixture f;

        @AfterEach
        void close() {
            f.close();
        }

        @Test
        void storageIsTheFilesSizeAndTheFreeSpaceOfItsFileSystem() throws Exception {
            f = new Fixture(JdbcJobStore.builder().h2File(dir.resolve("jobs")).build());
            f.submit(10);

            JsonNode r = f.get("/api/system/storage", f.reader).json();

            Path file = dir.resolve("jobs.mv.db").toAbsolutePath();
            assertThat(r.at("/store/kind").asText()).isEqualTo("h2");
            assertThat(r.at("/store/durable").asBoolean()).isTrue();
            assertThat(r.at("/store/location").asText()).isEqualTo(file.toString());
            assertThat(r.at("/store/jobs").asLong()).isEqualTo(10);
            assertThat(r.at("/store/usedBytes").asLong()).isEqualTo(Files.size(file));
            assertThat(r.at("/store/tables/cortex_job").asLong()).isPositive();
            assertThat(r.at("/store/filesystem/path").asText()).isEqualTo(file.toString());
            assertThat(r.at("/store/filesystem/usableBytes").asLong()).isCloseTo(Files.getFileStore(file).getUsableSpace(),
                    org.assertj.core.data.Offset.offset(64L << 20));
            assertThat(r.get("summary").asText()).startsWith("h2 file " + file + ": ").contains(" used, ").contains(" free; 10 jobs");
        }

        @Test
        void requirementsCheckTheDatabaseAndTheDiskItLivesOn() throws Exception {
            f = new Fixture(JdbcJobStore.builder().h2File(dir.resolve("jobs")).build());

            JsonNode r = f.get("/api/system/requirements", f.reader).json();

            assertThat(r.get("ok").asBoolean()).isTrue();
            assertThat(r.at("/checks/3/name").asText()).isEqualTo("store");
            assertThat(r.at("/checks/3/actual").asText()).startsWith("H2 2.").contains("schema version 1");
            assertThat(r.at("/checks/4/name").asText()).isEqualTo("store-disk");
            assertThat(r.at("/checks/4/ok").asBoolean()).isTrue();
        }

        @Test
        void upgradeLogsAreTheFlywayMigrationsApplied() throws Exception {
            f = new Fixture(JdbcJobStore.builder().h2File(dir.resolve("jobs")).build());

            upgradeLogShowsTheFirstMigration(f, "", "V1__jobs_events_outbox_leases.sql");
        }
    }

    @Nested
    class OnPostgreSql {
        @RegisterExtension
        static final Postgres PG = new Postgres();

        private Fixture f;

        @AfterEach
        void close() {
            if (f != null) {
                f.close();
            }
        }

        private JdbcJobStore store() {
            return JdbcJobStore.builder().jdbcUrl(PG.url).credentials(PG.user, PG.password).schema(PG.schema).build();
        }

        @Test
        void storageIsTheSizeOfTheStoresTablesAndOfTheDatabase() throws Exception {
            f = new Fixture(store());
            f.submit(5);

            JsonNode r = f.get("/api/system/storage", f.reader).json();

            assertThat(r.at("/store/kind").asText()).isEqualTo("postgresql");
            assertThat(r.at("/store/location").asText()).contains("(schema " + PG.schema + ")");
            assertThat(r.at("/store/usedBytes").asLong()).isPositive();
            assertThat(r.at("/store/databaseBytes").asLong()).isGreaterThanOrEqualTo(r.at("/store/usedBytes").asLong());
            assertThat(r.at("/store/tables").size()).isEqualTo(6);
            assertThat(r.at("/store/filesystem").isNull()).isTrue();
            assertThat(r.at("/store/note").asText()).contains("not visible from here");
            assertThat(r.get("summary").asText()).startsWith("postgresql at ").endsWith("; 5 jobs");
        }

        @Test
        void upgradeLogsAreTheFlywayMigrationsApplied() throws Exception {
            f = new Fixture(store());

            upgradeLogShowsTheFirstMigration(f, PG.user, "V2__history_without_foreign_keys.sql");
        }
    }

    /** A database that fails: answers say so instead of failing whole. */
    @Nested
    class WhenTheDatabaseFails {
        private final FakeDatabaseStore store = new FakeDatabaseStore();
        private final Fixture f = new Fixture(store);

        @AfterEach
        void close() {
            f.close();
        }

        @Test
        void storageIs503AndRequirementsReportTheStoreDown() throws Exception {
            store.up = false;

            Reply storage = f.get("/api/system/storage", f.reader);
            JsonNode req = f.get("/api/system/requirements", f.reader).json();

            assertThat(storage.status()).isEqualTo(503);
            assertThat(storage.json().get("detail").asText()).contains("connection refused");
            assertThat(req.get("ok").asBoolean()).isFalse();
            assertThat(req.at("/checks/3/ok").asBoolean()).isFalse();
            assertThat(req.at("/checks/3/actual").asText()).isEqualTo("down: refused");
        }

        @Test
        void aFailedMigrationIsAnErrorRecord() throws Exception {
            JsonNode errors = f.get("/api/system/logs?service=upgrade&level=ERROR", f.admin).json();

            assertThat(errors).hasSize(1);
            assertThat(errors.at("/0/reason").asText()).isEqualTo("SCHEMA_MIGRATION_FAILED");
            assertThat(errors.at("/0/message").asText()).contains("V2 'faster outbox'").contains("FAILED by cortex after 7 ms");
            assertThat(f.get("/api/system/logs?service=upgrade&limit=1", f.admin).json().get(0).get("sequence").asLong()).isEqualTo(2);
            assertThat(f.get("/api/system/logs?service=upgrade&since=2030-01-15T00:00:00Z", f.admin).json()).hasSize(1);
        }
    }
}
