package io.cortex.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cortex.client.Fixtures.API_KEY;
import static io.cortex.client.Fixtures.JOB_ID;
import static io.cortex.client.Fixtures.aJob;
import static io.cortex.client.Fixtures.aSpec;
import static io.cortex.client.Fixtures.json;
import static io.cortex.client.WireMockSupport.respondInTurn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client's Micrometer meters: retries by reason and status, and call latency, against WireMock. */
class ClientMetersTest {
    private static final String JOB_PATH = "/api/plugin-core/jobs/" + JOB_ID.value();
    private static final String JOBS = "/api/plugin-core/jobs";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final FakeTime time = new FakeTime();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private CortexClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private CortexClient client(RetryConfig retry) {
        client = CortexClient.builder().baseUrl(wm.baseUrl()).apiKey(API_KEY).retry(retry).sleeper(time).clock(time)
                .random(new HalfRandom()).meterRegistry(registry).build();
        return client;
    }

    private static ResponseDefinitionBuilder ok(int status, Object body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json(body));
    }

    private static ResponseDefinitionBuilder problem(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                .withBody(Fixtures.problem(status == 429 ? "rate-limited" : "unavailable", status, "try later"));
    }

    private double retries(String method, String reason, String status) {
        return registry.get("cortex.client.retries").tags("method", method, "reason", reason, "status", status)
                .counter().count();
    }

    private Timer calls(String method, String outcome, String status) {
        return registry.get("cortex.client.calls").tags("method", method, "outcome", outcome, "status", status).timer();
    }

    @Test
    void a503ThenA200IsOneRetryForTheServerErrorAndOneSuccessfulCall() {
        respondInTurn(wm, "GET", JOB_PATH, problem(503), ok(200, aJob()));

        client(RetryConfig.ofDefaults()).jobs().get(JOB_ID);

        assertThat(retries("GET", "SERVER_ERROR", "503")).isEqualTo(1);
        assertThat(calls("GET", "SUCCESS", "200").count()).isEqualTo(1);
        assertThat(calls("GET", "SUCCESS", "200").totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.find("cortex.client.calls").tag("outcome", "SERVER_ERROR").timer())
                .as("the failed attempt is a retry, not a call").isNull();
    }

    @Test
    void a429WithRetryAfterIsCountedAsRateLimitedAndTheSubmitSucceedsAfterIt() {
        respondInTurn(wm, "POST", JOBS, problem(429).withHeader("Retry-After", "2"), problem(429).withHeader("Retry-After", "1"),
                ok(201, aJob()));

        client(RetryConfig.ofDefaults()).jobs().submit(aSpec());

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(retries("POST", "RATE_LIMITED", "429")).isEqualTo(2);
        assertThat(calls("POST", "SUCCESS", "201").count()).isEqualTo(1);
    }

    @Test
    void retriesThatRunOutEndInAFailedCallWithTheLastStatus() {
        respondInTurn(wm, "GET", JOB_PATH, problem(503));

        assertThatThrownBy(() -> client(RetryConfig.builder().maxAttempts(3).build()).jobs().get(JOB_ID))
                .isInstanceOf(ServerException.class);

        assertThat(retries("GET", "SERVER_ERROR", "503")).isEqualTo(2);
        assertThat(calls("GET", "SERVER_ERROR", "503").count()).isEqualTo(1);
    }

    @Test
    void aResetConnectionIsANetworkErrorRetryWithoutStatus() {
        respondInTurn(wm, "GET", JOB_PATH, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), ok(200, aJob()));

        client(RetryConfig.ofDefaults()).jobs().get(JOB_ID);

        assertThat(retries("GET", "NETWORK_ERROR", "NONE")).isEqualTo(1);
        assertThat(calls("GET", "SUCCESS", "200").count()).isEqualTo(1);
    }

    @Test
    void anAnswerSlowerThanTheCallTimeoutIsATimeoutRetry() {
        respondInTurn(wm, "GET", JOB_PATH, ok(200, aJob()).withFixedDelay(2_000), ok(200, aJob()));
        client = CortexClient.builder().baseUrl(wm.baseUrl()).apiKey(API_KEY).sleeper(time).clock(time)
                .random(new HalfRandom()).callTimeout(Duration.ofMillis(250)).meterRegistry(registry).build();

        client.jobs().get(JOB_ID);

        assertThat(retries("GET", "TIMEOUT", "NONE")).isEqualTo(1);
        assertThat(calls("GET", "SUCCESS", "200").totalTime(TimeUnit.MILLISECONDS))
                .as("the call lasted at least the timed-out attempt").isGreaterThanOrEqualTo(250);
    }

    @Test
    void asynchronousCallsAreTimedToo() throws Exception {
        respondInTurn(wm, "GET", JOB_PATH, problem(502), ok(200, aJob()));

        client(RetryConfig.ofDefaults()).jobs().getAsync(JOB_ID).get(30, TimeUnit.SECONDS);

        assertThat(retries("GET", "SERVER_ERROR", "502")).isEqualTo(1);
        // the call is timed when its future completes, on the completing thread: it may land just after get() returns
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(registry.find("cortex.client.calls").tags("method", "GET", "outcome", "SUCCESS", "status", "200")
                        .timers()).singleElement().extracting(Timer::count).isEqualTo(1L));
    }

    @Test
    void aNotFoundIsAClientErrorCallAndNoRetry() {
        respondInTurn(wm, "GET", JOB_PATH, aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                .withBody(Fixtures.problem("not-found", 404, "no such job")));

        assertThatThrownBy(() -> client(RetryConfig.ofDefaults()).jobs().get(JOB_ID))
                .isInstanceOf(ResourceNotFoundException.class);

        assertThat(calls("GET", "CLIENT_ERROR", "404").count()).isEqualTo(1);
        assertThat(registry.find("cortex.client.retries").counters()).isEmpty();
    }

    @Test
    void metersAreDescribedAndTaggedWithoutPaths() {
        respondInTurn(wm, "GET", JOB_PATH, problem(503), ok(200, aJob()));
        client(RetryConfig.ofDefaults()).jobs().get(JOB_ID);

        assertThat(registry.getMeters()).hasSize(2).allSatisfy(m -> {
            assertThat(m.getId().getDescription()).isNotBlank();
            assertThat(m.getId().getTags()).allSatisfy(t -> {
                assertThat(t.getKey()).isIn(Set.of("method", "outcome", "reason", "status"));
                assertThat(t.getValue()).doesNotContain(JOB_ID.value());
            });
        });
    }

    @Test
    void withoutARegistryNothingIsRecordedAnywhere() {
        respondInTurn(wm, "GET", JOB_PATH, problem(503), ok(200, aJob()));
        client = CortexClient.builder().baseUrl(wm.baseUrl()).apiKey(API_KEY).sleeper(time).clock(time).build();

        client.jobs().get(JOB_ID);

        assertThat(registry.getMeters()).isEmpty();
        assertThat(Metrics.globalRegistry.getMeters()).extracting(Meter::getId)
                .noneMatch(id -> id.getName().startsWith("cortex."));
    }

    @Test
    void theRegistryOptionTakesOnlyAMicrometerRegistryAndOnlyOnce() {
        assertThatThrownBy(() -> CortexClient.builder().meterRegistry("registry"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meterRegistry must be a io.micrometer.core.instrument.MeterRegistry");
        assertThatThrownBy(() -> CortexClient.builder().meterRegistry(registry).meterRegistry(registry))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("meterRegistry already set to");
    }
}
