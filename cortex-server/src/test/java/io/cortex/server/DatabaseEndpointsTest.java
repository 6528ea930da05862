package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.server.TestServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The database paths, served from a store that is a {@code DatabaseAdmin}. */
class DatabaseEndpointsTest {
    private final ManualClock clock = new ManualClock();
    private final FakeDatabaseStore store = new FakeDatabaseStore();
    private final Cortex cortex = Cortex.builder().clock(clock).manual().store(store)
            .provider(InMemoryProvider.builder("solo").clock(clock).build()).build();
    private final ApiKeys keys = new ApiKeys(clock);
    private final GeneratedApiKey admin = keys.generate("admin", Scope.ADMIN);
    private final CortexServer server = CortexServer.builder().cortex(cortex).apiKeys(keys).start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        server.close();
        cortex.close();
    }

    private Reply send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.uri() + path)).header("Authorization", "Bearer " + admin.token())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers(), r.body());
    }

    @Test
    void statusConnectionsAndSlowQueriesComeFromTheStore() throws Exception {
        Reply status = send("GET", "/api/system/database/status", null);
        Reply connections = send("GET", "/api/system/database/connections", null);
        Reply slow = send("GET", "/api/system/database/slow-queries", null);

        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("product").asText()).isEqualTo("H2");
        assertThat(connections.json().get("maximum").asInt()).isEqualTo(10);
        assertThat(slow.json().get(0).get("durationMillis").asLong()).isEqualTo(812);
    }

    @Test
    void configChangesThePoolSettingsGiven() throws Exception {
        Reply r = send("PUT", "/api/system/database/config", "{\"poolSize\": 20, \"idleTimeout\": 30000, \"connectionTimeout\": 5000}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("poolSize").asInt()).isEqualTo(20);
        assertThat(store.config().idleTimeout()).isEqualTo(30_000);
        assertThat(store.config().connectionTimeout()).isEqualTo(5_000);
        assertThat(store.config().slowQueryThreshold()).isEqualTo(500);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"poolSize\":0}|poolSize/range", "{\"idleTimeout\":5}|idleTimeout/range",
            "{\"poolSize\":\"big\"}|poolSize/type", "{\"maxFiles\":10}|maxFiles/unknown-field",
            "{\"poolSize\":5,\"minimumIdle\":9}|minimumIdle/range"})
    void anInvalidConfigIs400AndChangesNothing(String body, String error) throws Exception {
        Reply r = send("PUT", "/api/system/database/config", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstError()).isEqualTo(error);
        assertThat(store.config().poolSize()).isEqualTo(10);
    }

    @Test
    void optimizeRunsTheStoresUpkeep() throws Exception {
        Reply r = send("POST", "/api/system/database/optimize", null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(store.optimized).isEqualTo(1);
    }

    @Test
    void healthIsDownWhenTheDatabaseIs() throws Exception {
        assertThat(send("GET", "/api/health", null).json().get("status").asText()).isEqualTo("UP");

        store.up = false;
        Reply r = send("GET", "/api/health", null);

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().at("/store/status").asText()).isEqualTo("DOWN");
        assertThat(r.json().at("/store/error").asText()).isEqualTo("refused");
    }
}
