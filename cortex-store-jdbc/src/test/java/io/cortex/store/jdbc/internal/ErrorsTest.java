package io.cortex.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Database errors reach logs without the rows they quote: a job's document may hold secrets in its environment. */
class ErrorsTest {
    @Test
    void aLockedRowQuotedByH2IsMaskedThroughTheWholeChain() {
        String h2 = "Map entry <table.9> with key <8001> and value ( /* key:8001 */ 'job_1', 'SUCCEEDED', "
                + "'{\"id\":\"job_1\",\"spec\":{\"env\":{\"TOKEN\":\"s3cr3t\"}}}') 2/6 ( /* key:8001 */ 'job_1', 'SUCCEE... "
                + "is locked by tx 2 and can not be updated by tx 1 within allocated time interval 2000 ms.";
        SQLException e = new SQLException("Timeout trying to lock table \"CORTEX_JOB\"", "HYT00", 50200,
                new IllegalStateException(h2));

        SQLException clean = Errors.clean(e);

        assertThat(clean.getSQLState()).isEqualTo("HYT00");
        assertThat(clean.getMessage()).isEqualTo(e.getMessage());
        assertThat(clean.getCause().getMessage()).contains("IllegalStateException").contains("is locked by tx 2")
                .doesNotContain("s3cr3t").doesNotContain("TOKEN");
        assertThat(clean.getStackTrace()).isEqualTo(e.getStackTrace());
    }

    @Test
    void aQuotedDocumentIsMaskedAndALongMessageCut() {
        assertThat(Errors.mask("Value too long for column \"DOCUMENT\": \"'{\"env\":{\"KEY\":\"v\"}}' (99)\""))
                .isEqualTo("Value too long for column \"DOCUMENT\": \"'{…}' (99)\"");
        assertThat(Errors.mask("x".repeat(1000))).hasSize(Errors.MAX_MESSAGE + 1).endsWith("…");
        assertThat((Object) Errors.clean(null)).isNull();
    }
}
