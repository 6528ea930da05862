package io.cortex.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cortex.client.Fixtures.API_KEY;
import static io.cortex.client.Fixtures.JOB_ID;
import static io.cortex.client.Fixtures.aJob;
import static io.cortex.client.Fixtures.aSpec;
import static io.cortex.client.Fixtures.json;
import static io.cortex.client.WireMockSupport.respondInTurn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cortex.core.job.Job;
import io.cortex.core.provider.ProviderId;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against WireMock for every fault: what it retries, how often, and how long it waits. */
class ClientRetryTest {
    private static final String JOB_PATH = "/api/plugin-core/jobs/" + JOB_ID.value();
    private static final String JOBS = "/api/plugin-core/jobs";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final FakeTime time = new FakeTime();
    private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
    private CortexClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private CortexClient client(RetryConfig retry) {
        client = builder(retry).build();
        return client;
    }

    private CortexClient.Builder builder(RetryConfig retry) {
        return CortexClient.builder().baseUrl(wm.baseUrl()).apiKey(API_KEY).retry(retry).sleeper(time).clock(time)
                .random(new HalfRandom()).retryListener(retries::add);
    }

    private CortexClient client() {
        return client(RetryConfig.ofDefaults());
    }

    private static ResponseDefinitionBuilder ok(Object body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(json(body));
    }

    private static ResponseDefinitionBuilder status(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                .withBody(Fixtures.problem(status == 429 ? "rate-limited" : "unavailable", status, "try later"));
    }

    private static ResponseDefinitionBuilder reset() {
        return aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
    }

    private static List<LoggedRequest> gets(String path) {
        return wm.findAll(getRequestedFor(urlPathEqualTo(path)));
    }

    private static List<LoggedRequest> posts(String path) {
        return wm.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    // ---- 429 ------------------------------------------------------------------------------------------------

    @Test
    void rateLimitedGetWaitsTheRetryAfterSecondsThenSucceeds() {
        respondInTurn(wm, "GET", JOB_PATH, status(429).withHeader("Retry-After", "3"), ok(aJob()));

        Job job = client().jobs().get(JOB_ID);

        assertThat(job.id()).isEqualTo(JOB_ID);
        assertThat(gets(JOB_PATH)).hasSize(2);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void rateLimitedGetWaitsUntilTheRetryAfterHttpDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(FakeTime.T0.plusSeconds(7).atOffset(ZoneOffset.UTC));
        respondInTurn(wm, "GET", JOB_PATH, status(429).withHeader("Retry-After", date), ok(aJob()));

        client().jobs().get(JOB_ID);

        assertThat(gets(JOB_PATH)).hasSize(2);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterLongerThanMaxRetryAfterIsNotWaitedAndReachesTheCaller() {
        respondInTurn(wm, "GET", JOB_PATH, status(429).withHeader("Retry-After", "120")
                .withHeader("RateLimit-Limit", "100").withHeader("RateLimit-Remaining", "0")
                .withHeader("RateLimit-Reset", "120"));

        RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> client().jobs().get(JOB_ID));

        assertThat(gets(JOB_PATH)).hasSize(1);
        assertThat(time.sleeps()).isEmpty();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(e.rateLimits()).contains(new RateLimits(100, 0, 120, 0));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.attempts()).isEqualTo(1);
    }

    @Test
    void rateLimitedWithoutRetryAfterBacksOff() {
        respondInTurn(wm, "GET", JOB_PATH, status(429), ok(aJob()));

        client().jobs().get(JOB_ID);

        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(125));
    }

    @Test
    void postWithoutIdempotencyKeyIsRetriedOnRateLimitBecauseTheServerDidNotActOnIt() {
        respondInTurn(wm, "POST", JOB_PATH + "/cancel", status(429).withHeader("Retry-After", "1"), ok(aJob()));

        client().jobs().cancel(JOB_ID);

        assertThat(posts(JOB_PATH + "/cancel")).hasSize(2);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    // ---- 5xx ------------------------------------------------------------------------------------------------

    @Test
    void unavailableBadGatewayAndGatewayTimeoutAreRetriedWithFullJitterBackoff() {
        respondInTurn(wm, "GET", JOB_PATH, status(503), status(502), status(504), ok(aJob()));

        Job job = client().jobs().get(JOB_ID);

        assertThat(job.id()).isEqualTo(JOB_ID);
        assertThat(gets(JOB_PATH)).hasSize(4);
        // half of the cap: min(8s, 250ms × 2^(n-1)) / 2
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(125), Duration.ofMillis(250),
                Duration.ofMillis(500));
    }

    @Test
    void backoffNeverExceedsMaxDelay() {
        RetryConfig retry = RetryConfig.builder().maxAttempts(6).baseDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(3)).maxDuration(Duration.ofMinutes(5)).build();
        respondInTurn(wm, "GET", JOB_PATH, status(503));

        catchThrowableOfType(ServerException.class, () -> client(retry).jobs().get(JOB_ID));

        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000),
                Duration.ofMillis(1500), Duration.ofMillis(1500), Duration.ofMillis(1500));
    }

    @Test
    void unavailableHonoursItsRetryAfter() {
        respondInTurn(wm, "GET", JOB_PATH, status(503).withHeader("Retry-After", "2"), ok(aJob()));

        client().jobs().get(JOB_ID);

        assertThat(gets(JOB_PATH)).hasSize(2);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void internalServerErrorIsNotRetried() {
        respondInTurn(wm, "GET", JOB_PATH, status(500), ok(aJob()));

        ServerException e = catchThrowableOfType(ServerException.class, () -> client().jobs().get(JOB_ID));

        assertThat(e.status()).isEqualTo(500);
        assertThat(gets(JOB_PATH)).hasSize(1);
    }

    @Test
    void retriesStopAtMaxAttemptsAndTheLastFailureSaysHowMany() {
        respondInTurn(wm, "GET", JOB_PATH, status(503));

        ServerException e = catchThrowableOfType(ServerException.class,
                () -> client(RetryConfig.builder().maxAttempts(3).build()).jobs().get(JOB_ID));

        assertThat(gets(JOB_PATH)).hasSize(3);
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.getMessage()).contains("after 3 attempts").contains("503");
    }

    @Test
    void disabledRetryMakesOneAttempt() {
        respondInTurn(wm, "GET", JOB_PATH, status(503), ok(aJob()));

        catchThrowableOfType(ServerException.class, () -> client(RetryConfig.disabled()).jobs().get(JOB_ID));

        assertThat(gets(JOB_PATH)).hasSize(1);
        assertThat(time.sleeps()).isEmpty();
    }

    // ---- I/O ------------------------------------------------------------------------------------------------

    @Test
    void connectionResetIsRetriedForAnIdempotentCall() {
        respondInTurn(wm, "GET", JOB_PATH, reset(), ok(aJob()));

        Job job = client().jobs().get(JOB_ID);

        assertThat(job.id()).isEqualTo(JOB_ID);
        assertThat(gets(JOB_PATH)).hasSize(2);
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(125));
    }

    @Test
    void connectionResetAtEveryAttemptEndsWithCortexIoException() {
        respondInTurn(wm, "GET", JOB_PATH, reset());

        CortexIoException e = catchThrowableOfType(CortexIoException.class, () -> client().jobs().get(JOB_ID));

        assertThat(gets(JOB_PATH)).hasSize(RetryConfig.DEFAULT_MAX_ATTEMPTS);
        assertThat(e.attempts()).isEqualTo(RetryConfig.DEFAULT_MAX_ATTEMPTS);
        assertThat(e.status()).isZero();
        assertThat(e.getCause()).isInstanceOf(IOException.class);
        assertThat(e.problem()).isEmpty();
    }

    @Test
    void attemptThatTimesOutIsRetried() {
        respondInTurn(wm, "GET", JOB_PATH, ok(aJob()).withFixedDelay(4_000), ok(aJob()));
        // a real timeout: the only real wait of the suite, one second
        client = builder(RetryConfig.ofDefaults()).callTimeout(Duration.ofSeconds(1)).build();

        Job job = client.jobs().get(JOB_ID);

        assertThat(job.id()).isEqualTo(JOB_ID);
        assertThat(gets(JOB_PATH)).hasSize(2);
        assertThat(retries).singleElement().satisfies(r -> {
            assertThat(r.failure()).isInstanceOf(CortexIoException.class);
            assertThat(r.failure().getCause()).hasMessageContaining("timeout");
        });
    }

    @Test
    void connectionRefusedIsRetriedEvenForAPostWithoutKeyBecauseNothingWasSent() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        client = CortexClient.builder().baseUrl("http://127.0.0.1:" + closedPort).apiKey(API_KEY)
                .retry(RetryConfig.builder().maxAttempts(3).build()).sleeper(time).clock(time)
                .random(new HalfRandom()).retryListener(retries::add).build();

        CortexIoException e = catchThrowableOfType(CortexIoException.class, () -> client.jobs().cancel(JOB_ID));

        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
        assertThat(retries).hasSize(2);
    }

    // ---- POST and idempotency -----------------------------------------------------------------------------

    @Test
    void postWithoutIdempotencyKeyIsNeverRetriedOn5xx() {
        respondInTurn(wm, "POST", JOB_PATH + "/cancel", status(503), ok(aJob()));
        respondInTurn(wm, "POST", "/api/plugin-core/providers/akash/wallet/topup", status(502));
        respondInTurn(wm, "POST", "/api/system/services/scheduler/restart", status(504));

        catchThrowableOfType(ServerException.class, () -> client().jobs().cancel(JOB_ID));
        catchThrowableOfType(ServerException.class,
                () -> client.providers().topUp(ProviderId.of("akash"), new BigDecimal("10.0")));
        catchThrowableOfType(ServerException.class, () -> client.system().restartService("scheduler"));

        assertThat(posts(JOB_PATH + "/cancel")).hasSize(1);
        assertThat(posts("/api/plugin-core/providers/akash/wallet/topup")).hasSize(1);
        assertThat(posts("/api/system/services/scheduler/restart")).hasSize(1);
        assertThat(time.sleeps()).isEmpty();
        assertThat(retries).isEmpty();
    }

    @Test
    void postWithoutIdempotencyKeyIsNotRetriedAfterAConnectionReset() {
        respondInTurn(wm, "POST", "/api/plugin-core/providers/akash/wallet/topup", reset(),
                ok(io.cortex.core.provider.WalletBalance.of("10", "USDC")));

        catchThrowableOfType(CortexIoException.class,
                () -> client().providers().topUp(ProviderId.of("akash"), BigDecimal.TEN));

        assertThat(posts("/api/plugin-core/providers/akash/wallet/topup")).hasSize(1);
    }

    @Test
    void submitSendsTheSameIdempotencyKeyOnEveryAttempt() {
        respondInTurn(wm, "POST", JOBS, status(503), reset(), status(502),
                aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(json(aJob())));

        Job job = client().jobs().submit(aSpec());

        assertThat(job.id()).isEqualTo(JOB_ID);
        List<LoggedRequest> attempts = posts(JOBS);
        assertThat(attempts).hasSize(4);
        String key = attempts.get(0).getHeader("Idempotency-Key");
        assertThat(key).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(attempts).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(key);
        assertThat(retries).extracting(RetryEvent::idempotencyKey).containsOnly(key);
    }

    @Test
    void everySubmitGetsItsOwnKeyAndACallersKeyIsSentAsIs() {
        respondInTurn(wm, "POST", JOBS, aResponse().withStatus(201).withBody(json(aJob())));

        client().jobs().submit(aSpec());
        client.jobs().submit(aSpec());
        client.jobs().submit(aSpec(), "order-4711");

        assertThat(posts(JOBS)).extracting(r -> r.getHeader("Idempotency-Key")).doesNotHaveDuplicates()
                .endsWith("order-4711");
    }

    // ---- listener and limits --------------------------------------------------------------------------------

    @Test
    void retryListenerSeesEveryRetryWithItsWait() {
        respondInTurn(wm, "GET", JOB_PATH, status(503), reset(), status(429).withHeader("Retry-After", "4"),
                ok(aJob()));

        client().jobs().get(JOB_ID);

        assertThat(retries).extracting(RetryEvent::failedAttempt).containsExactly(1, 2, 3);
        assertThat(retries).extracting(RetryEvent::nextAttempt).containsExactly(2, 3, 4);
        assertThat(retries).extracting(RetryEvent::delay).containsExactlyElementsOf(time.sleeps());
        assertThat(retries).extracting(r -> r.failure().getClass().getSimpleName()).containsExactly("ServerException",
                "CortexIoException", "RateLimitedException");
        assertThat(retries).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo(JOB_PATH);
            assertThat(r.idempotencyKey()).isNull();
        });
    }

    @Test
    void aFailingListenerDoesNotBreakTheCall() {
        respondInTurn(wm, "GET", JOB_PATH, status(503), ok(aJob()));
        client = CortexClient.builder().baseUrl(wm.baseUrl()).sleeper(time).clock(time)
                .retryListener(e -> {
                    throw new IllegalStateException("listener bug");
                }).build();

        assertThat(client.jobs().get(JOB_ID).id()).isEqualTo(JOB_ID);
        assertThat(gets(JOB_PATH)).hasSize(2);
    }

    @Test
    void totalTimeLimitStopsRetryingWhenTheNextWaitWouldPassIt() {
        RetryConfig retry = RetryConfig.builder().maxAttempts(10).maxDuration(Duration.ofSeconds(10)).build();
        respondInTurn(wm, "GET", JOB_PATH, status(429).withHeader("Retry-After", "4"));

        RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
                () -> client(retry).jobs().get(JOB_ID));

        // t=0 fails, waits 4; t=4 fails, waits 4; t=8 fails: 8 + 4 passes 10, so no more
        assertThat(gets(JOB_PATH)).hasSize(3);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4));
        assertThat(e.attempts()).isEqualTo(3);
    }

    @Test
    void timeSpentInAttemptsCountsAgainstTheTotalTimeLimit() {
        RetryConfig retry = RetryConfig.builder().maxAttempts(10).maxDuration(Duration.ofSeconds(10)).build();
        respondInTurn(wm, "GET", JOB_PATH, status(503).withHeader("Retry-After", "1"));
        // every attempt takes 3 s of the fake clock
        OkHttpClient slowNetwork = new OkHttpClient.Builder().addInterceptor(chain -> {
            time.advance(Duration.ofSeconds(3));
            return chain.proceed(chain.request());
        }).build();
        client = builder(retry).httpClient(slowNetwork).build();

        ServerException e = catchThrowableOfType(ServerException.class, () -> client.jobs().get(JOB_ID));

        // t=0..3 fails, waits 1; t=4..7 fails, waits 1; t=8..11 fails: 11 + 1 passes 10
        assertThat(gets(JOB_PATH)).hasSize(3);
        assertThat(e.attempts()).isEqualTo(3);
        slowNetwork.dispatcher().executorService().shutdown();
        slowNetwork.connectionPool().evictAll();
    }

    // ---- circuit breaker ------------------------------------------------------------------------------------

    @Test
    void circuitBreakerOpensAfterConsecutiveFailuresAndRefusesWithoutCallingTheServer() {
        respondInTurn(wm, "GET", JOB_PATH, status(503));
        client = builder(RetryConfig.disabled())
                .circuitBreaker(CircuitBreakerConfig.builder().failureThreshold(3).openDelay(Duration.ofMinutes(1)).build())
                .build();

        for (int i = 0; i < 3; i++) {
            catchThrowableOfType(ServerException.class, () -> client.jobs().get(JOB_ID));
        }
        CircuitOpenException open = catchThrowableOfType(CircuitOpenException.class, () -> client.jobs().get(JOB_ID));

        assertThat(gets(JOB_PATH)).hasSize(3);
        assertThat(open.status()).isZero();
        assertThat(open.remainingDelay()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(open.getMessage()).contains("circuit breaker open");
    }

    @Test
    void circuitBreakerCountsEveryAttemptOfARetriedCall() {
        respondInTurn(wm, "GET", JOB_PATH, status(503));
        client = builder(RetryConfig.ofDefaults())
                .circuitBreaker(CircuitBreakerConfig.builder().failureThreshold(2).build()).build();

        CircuitOpenException open = catchThrowableOfType(CircuitOpenException.class, () -> client.jobs().get(JOB_ID));

        assertThat(gets(JOB_PATH)).hasSize(2);
        assertThat(open.attempts()).isEqualTo(3);
    }

    @Test
    void clientErrorsDoNotOpenTheCircuit() {
        respondInTurn(wm, "GET", JOB_PATH, aResponse().withStatus(404).withBody(Fixtures.problem("not-found", 404, "no")));
        client = builder(RetryConfig.ofDefaults())
                .circuitBreaker(CircuitBreakerConfig.builder().failureThreshold(2).build()).build();

        for (int i = 0; i < 3; i++) {
            catchThrowableOfType(ResourceNotFoundException.class, () -> client.jobs().get(JOB_ID));
        }

        assertThat(gets(JOB_PATH)).hasSize(3);
    }

    // ---- responses and interruption -------------------------------------------------------------------------

    @Test
    void everyResponseIsClosedBeforeTheRetrySoOneConnectionServesAllAttempts() {
        OkHttpClient shared = new OkHttpClient();
        // bodies larger than the client reads of an error: only closing the response frees the connection
        String bigBody = "x".repeat(200 * 1024);
        respondInTurn(wm, "GET", JOB_PATH, aResponse().withStatus(503).withBody(bigBody),
                aResponse().withStatus(503).withBody(bigBody), ok(aJob()));
        client = builder(RetryConfig.ofDefaults()).httpClient(shared).build();

        client.jobs().get(JOB_ID);

        assertThat(gets(JOB_PATH)).hasSize(3);
        assertThat(shared.connectionPool().connectionCount()).isEqualTo(1);
        assertThat(shared.connectionPool().idleConnectionCount()).isEqualTo(1);
        shared.connectionPool().evictAll();
        shared.dispatcher().executorService().shutdown();
    }

    @Test
    void interruptedWhileWaitingEndsTheCallAndKeepsTheInterrupt() {
        respondInTurn(wm, "GET", JOB_PATH, status(503), ok(aJob()));
        client = CortexClient.builder().baseUrl(wm.baseUrl()).clock(time).sleeper(d -> {
            throw new InterruptedException("stop");
        }).build();

        try {
            CortexIoException e = catchThrowableOfType(CortexIoException.class, () -> client.jobs().get(JOB_ID));

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(e.getCause()).isInstanceOf(java.io.InterruptedIOException.class);
            assertThat(e.getSuppressed()).singleElement().isInstanceOf(ServerException.class);
            assertThat(gets(JOB_PATH)).hasSize(1);
        } finally {
            Thread.interrupted();
        }
    }
}
