package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.store.SchemaMigration;
import io.cortex.core.store.StorageUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What {@code /api/system/storage} and {@code /api/system/logs?service=upgrade} read from the JDBC store. */
class StorageAndMigrationsTest {
    private static final List<String> TABLES = List.of("cortex_job", "cortex_job_event", "cortex_job_label", "cortex_lease",
            "cortex_outbox", "cortex_schema_history");

    private static void hasAppliedTheFirstMigration(List<SchemaMigration> migrations, String user) {
        SchemaMigration v1 = migrations.stream().filter(m -> "1".equals(m.version())).findFirst().orElseThrow();
        assertThat(v1.description()).isEqualTo("jobs events outbox leases");
        assertThat(v1.script()).isEqualTo("V1__jobs_events_outbox_leases.sql");
        assertThat(v1.type()).isEqualTo("SQL");
        assertThat(v1.success()).isTrue();
        assertThat(v1.executionMillis()).isNotNegative();
        assertThat(v1.installedBy()).isEqualToIgnoringCase(user);
        assertThat(v1.installedOn()).isBetween(Instant.now().minus(10, ChronoUnit.MINUTES), Instant.now().plusSeconds(5));
        assertThat(migrations).extracting(SchemaMigration::rank).isSorted();
    }

    @Nested
    class OnAnH2File {
        @TempDir
        Path dir;

        @Test
        void usedBytesIsTheSizeOfTheFileAndEachTableIsMeasured() throws Exception {
            try (JdbcJobStore store = JdbcJobStore.builder().h2File(dir.resolve("jobs")).build()) {
                Jobs jobs = new Jobs(store);
                for (int i = 0; i < 50; i++) {
                    jobs.submitted("team", "ml");
                }

                StorageUsage usage = store.storage();

                Path file = dir.resolve("jobs.mv.db").toAbsolutePath();
                assertThat(usage.kind()).isEqualTo("h2");
                assertThat(usage.dataFile()).isEqualTo(file);
                assertThat(usage.location()).isEqualTo(file.toString());
                assertThat(usage.usedBytes()).isEqualTo(Files.size(file)).isPositive();
                assertThat(usage.measuredBy()).isEqualTo("size of " + file);
                assertThat(usage.tables()).containsOnlyKeys(TABLES);
                assertThat(usage.tables().get("cortex_job")).isPositive();
            }
        }

        @Test
        void theFirstMigrationIsInTheHistory() {
            try (JdbcJobStore store = JdbcJobStore.builder().h2File(dir.resolve("jobs")).build()) {
                hasAppliedTheFirstMigration(store.migrations(), "");
            }
        }

        @Test
        void aClosedStoreRefusesToMeasure() {
            JdbcJobStore store = JdbcJobStore.builder().h2File(dir.resolve("jobs")).build();
            store.close();

            assertThatThrownBy(store::storage).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(store::migrations).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anInMemoryH2HasNoFileAndSumsItsTables() {
        try (JdbcJobStore store = JdbcJobStore.builder().jdbcUrl("jdbc:h2:mem:storage" + System.nanoTime()).build()) {
            StorageUsage usage = store.storage();

            assertThat(usage.kind()).isEqualTo("h2-memory");
            assertThat(usage.localFile()).isEmpty();
            assertThat(usage.usedBytes()).isEqualTo(usage.tables().values().stream().mapToLong(Long::longValue).sum());
            assertThat(usage.tables()).containsOnlyKeys(TABLES);
        }
    }

    @Nested
    class OnPostgreSql {
        @RegisterExtension
        static final Postgres PG = new Postgres();

        @Test
        void usedBytesIsTheTotalRelationSizeOfTheStoresTablesInItsSchema() throws Exception {
            try (JdbcJobStore store = PG.store().build()) {
                Jobs jobs = new Jobs(store);
                for (int i = 0; i < 20; i++) {
                    jobs.submitted();
                }
                PG.execute("CREATE TABLE application_orders (id INT PRIMARY KEY)"); // not the store's: not counted

                StorageUsage usage = store.storage();

                assertThat(usage.kind()).isEqualTo("postgresql");
                assertThat(usage.location()).contains("(schema " + PG.schema() + ")");
                assertThat(usage.tables()).containsOnlyKeys(TABLES);
                assertThat(usage.usedBytes()).isEqualTo(usage.tables().values().stream().mapToLong(Long::longValue).sum())
                        .isPositive();
                assertThat(usage.databaseBytes()).isGreaterThanOrEqualTo(usage.usedBytes());
                assertThat(usage.localFile()).isEmpty();
            }
        }

        @Test
        void theFirstMigrationIsInTheHistory() {
            try (JdbcJobStore store = PG.store().build()) {
                hasAppliedTheFirstMigration(store.migrations(), PG.user());
            }
        }
    }
}
