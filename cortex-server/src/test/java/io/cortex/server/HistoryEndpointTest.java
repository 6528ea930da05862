package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.json.CortexJson;
import io.cortex.core.metrics.HistoryRange;
import io.cortex.core.metrics.MetricsSeries;
import io.cortex.server.TestServer.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /api/system/metrics/history}: the charts' time series, over real HTTP, on a manual clock. */
class HistoryEndpointTest {
    private static final String HISTORY = "/api/system/metrics/history";
    private final TestServer t = new TestServer();

    @AfterEach
    void close() {
        t.close();
    }

    @ParameterizedTest
    @CsvSource({"'', 1h, PT1M, 2030-01-01T00:01:00Z, 2029-12-31T23:01:00Z",
            "?range=1h, 1h, PT1M, 2030-01-01T00:01:00Z, 2029-12-31T23:01:00Z",
            "?range=24h, 24h, PT15M, 2030-01-01T00:15:00Z, 2029-12-31T00:15:00Z",
            "?range=7d, 7d, PT1H, 2030-01-01T01:00:00Z, 2029-12-25T01:00:00Z"})
    void anEngineThatJustStartedAnswersEmptyPoints(String query, String range, String step, String to, String from) {
        t.advance(Duration.ofSeconds(20));

        Reply r = t.get(HISTORY + query, t.reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode h = r.json();
        assertThat(h.get("range").asText()).isEqualTo(range);
        assertThat(h.get("step").asText()).isEqualTo(step);
        assertThat(h.get("to").asText()).isEqualTo(to);
        assertThat(h.get("from").asText()).isEqualTo(from);
        assertThat(h.get("points").isArray()).isTrue();
        assertThat(h.get("points")).isEmpty();
    }

    @Test
    void jobsAndAFailoverShowInTheirStepsForEachRange() throws IOException {
        t.submit("{\"image\":\"acme/train:1\"}");
        t.submit("{\"image\":\"acme/train:1\"}");
        t.advance(Duration.ofSeconds(30));
        t.advance(Duration.ofSeconds(30));                    // minute 1: both running on alpha
        t.alpha.goOffline();
        t.advance(Duration.ofSeconds(30));
        t.advance(Duration.ofSeconds(30));                    // minute 2: alpha offline, both moved to beta

        JsonNode hour = t.get(HISTORY + "?range=1h", t.reader).json();
        assertThat(hour.get("points")).hasSize(2);
        JsonNode first = hour.at("/points/0");
        assertThat(first.get("at").asText()).isEqualTo("2030-01-01T00:01:00Z");
        assertThat(first.get("submitted").asLong()).isEqualTo(2);
        assertThat(first.get("failovers").asLong()).isZero();
        assertThat(first.get("failoversByReason")).isEmpty();
        assertThat(first.at("/jobsByState/RUNNING").asLong()).isEqualTo(2);
        assertThat(fieldNames(first.get("jobsByState")))
                .containsExactly("PENDING", "ASSIGNED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");
        assertThat(first.get("providers").toString()).isEqualTo("{\"ONLINE\":2,\"DEGRADED\":0,\"OFFLINE\":1}");
        assertThat(first.get("deliveries").toString()).isEqualTo("{\"succeeded\":0,\"failed\":0}");
        JsonNode second = hour.at("/points/1");
        assertThat(second.get("at").asText()).isEqualTo("2030-01-01T00:02:00Z");
        assertThat(second.get("submitted").asLong()).isZero();
        assertThat(second.get("failovers").asLong()).isEqualTo(2);
        assertThat(second.get("failoversByReason").toString()).isEqualTo("{\"PROVIDER_OFFLINE\":2}");
        assertThat(second.get("providers").toString()).isEqualTo("{\"ONLINE\":1,\"DEGRADED\":0,\"OFFLINE\":2}");

        JsonNode day = t.get(HISTORY + "?range=24h", t.reader).json();
        assertThat(day.get("points")).singleElement().satisfies(p -> {
            assertThat(p.get("at").asText()).isEqualTo("2030-01-01T00:15:00Z");
            assertThat(p.get("submitted").asLong()).isEqualTo(2);
            assertThat(p.get("failoversByReason").toString()).isEqualTo("{\"PROVIDER_OFFLINE\":2}");
            assertThat(p.get("jobsByState")).isEqualTo(second.get("jobsByState"));
            assertThat(p.get("providers")).isEqualTo(second.get("providers"));
        });
        JsonNode week = t.get(HISTORY + "?range=7d", t.reader).json();
        assertThat(week.get("points")).singleElement().satisfies(p -> {
            assertThat(p.get("at").asText()).isEqualTo("2030-01-01T01:00:00Z");
            assertThat(p.get("failovers").asLong()).isEqualTo(2);
        });

        // what the server writes is what the engine holds, and it reads back with the one mapper
        MetricsSeries read = CortexJson.mapper().readValue(t.get(HISTORY + "?range=24h", t.reader).body(), MetricsSeries.class);
        assertThat(read).isEqualTo(t.cortex.metricsHistory().series(HistoryRange.DAY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2h", "1H", "7", "week", "24h,7d"})
    void anyOtherRangeIsABadRequestNamingRangeAndTheAllowedValues(String range) {
        Reply r = t.get(HISTORY + "?range=" + range, t.reader);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.firstError()).isEqualTo("range/format");
        assertThat(r.json().get("detail").asText()).contains("'" + range + "'").contains("1h, 24h, 7d");
        assertThat(fieldNames(r.json())).contains("allowed");
        assertThat(r.json().get("allowed").toString()).isEqualTo("[\"1h\",\"24h\",\"7d\"]");
    }

    @Test
    void aReadKeyIsEnoughAndNoKeyIsUnauthorized() {
        assertThat(t.get(HISTORY, null).status()).isEqualTo(401);
        assertThat(t.get(HISTORY, t.reader).status()).isEqualTo(200);
        assertThat(t.get(HISTORY, t.admin).status()).isEqualTo(200);
    }

    @Test
    void historyRequestsSpendTheKeysRateLimit() {
        try (TestServer limited = new TestServer(b -> b.rateLimit(RateLimit.of(1, Duration.ofMinutes(1))))) {
            assertThat(limited.get(HISTORY, limited.reader).status()).isEqualTo(200);

            Reply r = limited.get(HISTORY, limited.reader);

            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isNotNull();
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
