package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.cortex.core.json.CortexJson;
import io.cortex.core.store.DatabaseConfig;
import io.cortex.core.store.DatabaseConfigChange;
import org.junit.jupiter.api.Test;

/** The settings change an operator sends: partial, validated, applied onto the settings in force. */
class DatabaseConfigChangeTest {
    private final DatabaseConfig fixed = new DatabaseConfig(10, 10, 600_000, 10_000, 200);
    private final DatabaseConfig elastic = new DatabaseConfig(10, 4, 600_000, 10_000, 200);

    @Test
    void theOperatorGuidesBodyReadsAsAChange() throws Exception {
        DatabaseConfigChange change = CortexJson.mapper().readerFor(DatabaseConfigChange.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue("{\"poolSize\": 20, \"idleTimeout\": 30000, \"connectionTimeout\": 5000}");

        assertThat(change).isEqualTo(DatabaseConfigChange.none().withPoolSize(20).withIdleTimeout(30_000).withConnectionTimeout(5_000));
        assertThat(change.applyTo(fixed)).isEqualTo(new DatabaseConfig(20, 20, 30_000, 5_000, 200));
    }

    @Test
    void aFixedPoolStaysFixedAndAMinimumAboveANewSmallerSizeComesDown() {
        assertThat(DatabaseConfigChange.none().withPoolSize(3).applyTo(fixed)).extracting(DatabaseConfig::minimumIdle).isEqualTo(3);
        assertThat(DatabaseConfigChange.none().withPoolSize(3).applyTo(elastic)).extracting(DatabaseConfig::minimumIdle).isEqualTo(3);
        assertThat(DatabaseConfigChange.none().withPoolSize(30).applyTo(elastic)).extracting(DatabaseConfig::minimumIdle).isEqualTo(4);
        assertThat(DatabaseConfigChange.none().applyTo(elastic)).isEqualTo(elastic);
    }

    @Test
    void valuesOutsideTheirRangesAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> DatabaseConfigChange.none().withPoolSize(0)).hasMessageContaining("poolSize must be between 1");
        assertThatThrownBy(() -> DatabaseConfigChange.none().withMinimumIdle(-1)).hasMessageContaining("minimumIdle");
        assertThatThrownBy(() -> DatabaseConfigChange.none().withIdleTimeout(9_999)).hasMessageContaining("0 (never) or at least 10000");
        assertThatThrownBy(() -> DatabaseConfigChange.none().withConnectionTimeout(249)).hasMessageContaining("at least 250");
        assertThatThrownBy(() -> DatabaseConfigChange.none().withSlowQueryThreshold(-1)).hasMessageContaining("slowQueryThreshold");
        assertThatThrownBy(() -> DatabaseConfigChange.none().withMinimumIdle(11).applyTo(fixed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not exceed poolSize (10)");
    }
}
