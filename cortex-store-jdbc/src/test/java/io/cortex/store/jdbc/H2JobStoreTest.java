package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.store.JobStore;
import io.cortex.core.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC store on an embedded H2 file, one per test. */
class H2JobStoreTest extends JdbcJobStoreContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("cortex");
    }

    @Override
    protected JdbcJobStore.Builder builder() {
        return JdbcJobStore.builder().h2File(file());
    }

    @Override
    protected JobStore emptyStore() {
        return builder().build();
    }

    @Override
    protected void execute(String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file().toAbsolutePath());
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Test
    void anH2FileIsOwnedByOneEngineAndWritesEveryCommitAtOnce() {
        assertThat(store.isShared()).isFalse();
        assertThat(Files.exists(dir.resolve("cortex.mv.db"))).isTrue();
        assertThat(((JdbcJobStore) store).status().url()).contains("WRITE_DELAY=0");
        assertThat(((JdbcJobStore) store).status().product()).isEqualTo("H2");
    }

    @Test
    void anH2FileDoesNotGrowWithEveryCommit() throws Exception {
        for (int i = 0; i < 3_000; i++) { // 3000 commits rewriting one row: about 60 MB of chunks if space were never reused
            assertThat(store.tryLease("heartbeat", "engine-1", Duration.ofMinutes(1))).isTrue();
        }

        assertThat(Files.size(dir.resolve("cortex.mv.db"))).isLessThan(16L << 20);
        assertThat(((JdbcJobStore) store).status().url()).contains("RETENTION_TIME=0");
    }

    @Test
    void theBuilderRefusesAnOptionSetTwiceAndDatabasesItCannotRunOn() {
        assertThatThrownBy(() -> JdbcJobStore.builder().poolSize(2).poolSize(3))
                .isInstanceOf(IllegalStateException.class).hasMessage("poolSize was already set to 2");
        assertThatThrownBy(() -> JdbcJobStore.builder().h2File(file()).jdbcUrl("jdbc:h2:mem:x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("database was already set to");
        assertThatThrownBy(() -> JdbcJobStore.builder().jdbcUrl("jdbc:mysql://db/x?password=secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("H2").hasMessageContaining("PostgreSQL")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> JdbcJobStore.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("h2File");
        assertThatThrownBy(() -> JdbcJobStore.builder().schema("x; DROP TABLE y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain identifier");
        assertThatThrownBy(() -> JdbcJobStore.builder().h2File(file()).poolSize(2).minimumIdle(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumIdle");
    }

    @Test
    void anUnreachableDatabaseFailsTheBuildSayingWhere() {
        assertThatThrownBy(() -> JdbcJobStore.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/none")
                .credentials("nobody", "secret").connectionTimeout(Duration.ofMillis(500)).build())
                .isInstanceOf(StoreException.class).hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("secret");
    }
}
