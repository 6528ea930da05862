package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** PostgreSQL tests skip loudly where there is no PostgreSQL, and fail where CI requires it. */
class PostgresSupportTest {
    private final java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    private final java.io.PrintStream banner = new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8);

    @Test
    void anUnreachablePostgresSkipsThePostgresTests() {
        assertThatThrownBy(() -> Postgres.unavailable("jdbc:postgresql://127.0.0.1:1/none", "refused", false, banner))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("skipped").hasMessageContaining("127.0.0.1:1");
        org.assertj.core.api.Assertions.assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("PostgreSQL UNREACHABLE: SKIPPING");
    }

    @Test
    void anUnreachablePostgresFailsThemWhenRequired() {
        assertThatThrownBy(() -> Postgres.unavailable("jdbc:postgresql://127.0.0.1:1/none", "refused", true, banner))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("required").hasMessageContaining("refused");
        org.assertj.core.api.Assertions.assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("REQUIRED (CORTEX_REQUIRE_POSTGRES=true) BUT UNREACHABLE: FAILING");
    }
}
