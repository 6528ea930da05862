package io.cortex.server;

import static io.cortex.server.TestServer.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.server.TestServer.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SystemEndpointsTest {
    private final TestServer t = new TestServer();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void healthReportsStoreProvidersAndServicesWithoutAKey() {
        Reply r = t.get("/api/health", null);

        assertThat(r.status()).isEqualTo(200);
        JsonNode h = r.json();
        assertThat(h.get("status").asText()).isEqualTo("DEGRADED"); // gamma is offline
        assertThat(h.at("/store/status").asText()).isEqualTo("UP");
        assertThat(h.at("/store/durable").asBoolean()).isFalse();
        assertThat(h.at("/providers/alpha").asText()).isEqualTo("online");
        assertThat(h.at("/providers/gamma").asText()).isEqualTo("offline");
        assertThat(h.at("/services/scheduler").asText()).isEqualTo("running");
        assertThat(h.at("/services/provider-monitor").asText()).isEqualTo("running");
        assertThat(h.at("/services/event-dispatcher").asText()).isEqualTo("running");
        assertThat(h.at("/services/webhook-dispatcher").asText()).isEqualTo("running");
    }

    @Test
    void healthIsUpWhenEverythingIsAndDownWhenNoProviderCanRun() {
        ManualClock clock = new ManualClock();
        try (Cortex healthy = Cortex.builder().clock(clock).manual().provider(InMemoryProvider.builder("solo").clock(clock).build())
                .build();
                Cortex dead = Cortex.builder().clock(clock).manual().provider(new BareProvider("off")).build();
                CortexServer up = CortexServer.builder().cortex(healthy).start();
                CortexServer down = CortexServer.builder().cortex(dead).start()) {
            Reply upReply = t.send(HttpRequest.newBuilder(up.uri().resolve("/api/health")).build());
            Reply downReply = t.send(HttpRequest.newBuilder(down.uri().resolve("/api/health")).build());

            assertThat(upReply.status()).isEqualTo(200);
            assertThat(upReply.json().get("status").asText()).isEqualTo("UP");
            assertThat(downReply.status()).isEqualTo(503);
            assertThat(downReply.json().get("status").asText()).isEqualTo("DOWN");
        }
    }

    @Test
    void healthIsDegradedWhileAServiceIsStopped() {
        try (CortexServer solo = CortexServer.builder().cortex(t.cortex).start()) {
            t.cortex.stopService("metrics");

            Reply r = t.send(HttpRequest.newBuilder(solo.uri().resolve("/api/health")).build());

            assertThat(r.json().at("/services/metrics").asText()).isEqualTo("stopped");
            assertThat(r.json().get("status").asText()).isEqualTo("DEGRADED");
        }
    }

    @Test
    void logsAreFilteredByServiceAndProvider() {
        Reply r = t.get("/api/system/logs?service=provider-monitor&provider=gamma", t.admin);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isNotEmpty().allSatisfy(rec -> {
            assertThat(rec.get("service").asText()).isEqualTo("provider-monitor");
            assertThat(rec.get("provider").asText()).isEqualTo("gamma");
        });
        assertThat(t.get("/api/system/logs?service=provider-auth&provider=alpha", t.admin).json()).isEmpty();
        assertThat(t.get("/api/system/logs?level=WARN&limit=1", t.admin).json()).hasSize(1);
        assertThat(t.get("/api/system/logs?since=2031-01-01T00:00:00Z", t.admin).json()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"level=LOUD,level", "limit=0,limit", "limit=10001,limit", "since=today,since"})
    void badLogQueriesAre400(String query, String field) {
        Reply r = t.get("/api/system/logs?" + query, t.admin);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo(field);
    }

    @Test
    void serviceAnswersItsStatus() {
        Reply r = t.get("/api/system/services/metrics", t.reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("metrics");
        assertThat(r.json().get("state").asText()).isEqualTo("running");
    }

    @ParameterizedTest
    @ValueSource(strings = {"scheduler", "provider-monitor", "event-dispatcher", "metrics", "webhook-dispatcher"})
    void restartRestartsTheService(String name) {
        t.cortex.stopService(name);

        Reply r = t.post("/api/system/services/" + name + "/restart", t.admin, null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("state").asText()).isEqualTo("running");
        assertThat(r.json().get("restarts").asInt()).isEqualTo(1);
        assertThat(t.cortex.service(name).restarts()).isEqualTo(1);
    }

    @Test
    void anUnknownServiceIs404ListingTheKnownOnes() {
        Reply get = t.get("/api/system/services/upgrade", t.reader);
        Reply restart = t.post("/api/system/services/upgrade/restart", t.admin, null);

        assertThat(get.status()).isEqualTo(404);
        assertThat(get.json().get("resource").asText()).isEqualTo("service");
        assertThat(get.json().get("detail").asText()).contains("metrics");
        assertThat(restart.status()).isEqualTo(404);
    }

    @Test
    void resourceMetricsReportHeapCpuThreadsAndJobs() {
        t.submit("{\"image\":\"acme/train:1\"}");

        JsonNode m = t.get("/api/system/metrics/resources", t.reader).json();

        assertThat(m.at("/heap/usedBytes").asLong()).isPositive();
        assertThat(m.at("/cpu/availableProcessors").asInt()).isPositive();
        assertThat(m.at("/threads/live").asInt()).isPositive();
        assertThat(m.at("/jobsByState/assigned").asLong()).isEqualTo(1);
        assertThat(m.at("/jobsByState/pending").asLong()).isZero();
        assertThat(m.at("/engine/submitted").asLong()).isEqualTo(1);
        assertThat(m.at("/deliveries/accepted").isNumber()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"GET,/api/system/database/status", "GET,/api/system/database/connections",
            "GET,/api/system/database/slow-queries", "PUT,/api/system/database/config"})
    void databasePathsAre501SayingNoDurableStoreIsConfigured(String method, String path) {
        Reply r = t.send(method, path, t.admin, method.equals("PUT") ? "{\"poolSize\":20}" : null);

        assertThat(r.status()).isEqualTo(501);
        assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/unsupported");
        assertThat(r.json().get("detail").asText()).contains("durable store is not configured");
    }

    @ParameterizedTest
    @CsvSource({"GET,/api/system/containers", "POST,/api/system/rollback", "GET,/api/system/containers/c1/logs"})
    void otherGuidePathsOfAHostedDeploymentAre501(String method, String path) {
        Reply r = t.send(method, path, t.admin, method.equals("POST") ? "{}" : null);

        assertThat(r.status()).isEqualTo(501);
        assertThat(r.json().get("detail").asText()).contains("embedded");
    }

    @Test
    void anUnknownPathIsA404Problem() {
        Reply r = t.get("/api/plugin-core/nothing-here", t.reader);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("instance").asText()).isEqualTo("/api/plugin-core/nothing-here");
    }

    @Test
    void everyResponseCarriesARequestIdThatProblemsRepeat() {
        Reply ok = t.get(JOBS, t.reader);
        Reply problem = t.get(JOBS + "/job_nosuchjob", t.reader);
        Reply given = t.send("GET", JOBS + "/job_nosuchjob", t.reader, null, "X-Request-Id", "trace-42.a");
        Reply hostile = t.send("GET", JOBS, t.reader, null, "X-Request-Id", "bad id with spaces and {braces}");

        assertThat(ok.header("X-Request-Id")).startsWith("req_");
        assertThat(problem.json().get("requestId").asText()).isEqualTo(problem.header("X-Request-Id")).startsWith("req_");
        assertThat(problem.header("X-Request-Id")).isNotEqualTo(ok.header("X-Request-Id"));
        assertThat(given.header("X-Request-Id")).isEqualTo("trace-42.a");
        assertThat(given.json().get("requestId").asText()).isEqualTo("trace-42.a");
        assertThat(hostile.header("X-Request-Id")).startsWith("req_");
    }

    @Test
    void theRequestIdOfAProblemIsInTheServerLog() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Reply r;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            r = t.post(JOBS, t.writer, "{\"image\":\"acme/train:1\",\"colour\":\"red\"}");
        } finally {
            System.setErr(original);
        }

        String id = r.json().get("requestId").asText();
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains(id).contains("colour");
    }
}
