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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cortex.core.job.Job;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code …Async} methods: same retries, same waits, same exceptions, without blocking the caller. */
class AsyncClientTest {
    private static final String JOB_PATH = "/api/plugin-core/jobs/" + JOB_ID.value();

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final FakeTime time = new FakeTime();
    private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
    private CortexClient client;

    @BeforeEach
    void open() {
        client = CortexClient.builder().baseUrl(wm.baseUrl()).apiKey(API_KEY).sleeper(time).clock(time)
                .random(new HalfRandom()).retryListener(retries::add).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static <T> T await(CompletableFuture<T> future) {
        return future.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void asyncGetRetriesLikeTheBlockingOne() {
        respondInTurn(wm, "GET", JOB_PATH, aResponse().withStatus(429).withHeader("Retry-After", "5"),
                aResponse().withStatus(503), aResponse().withStatus(200).withBody(json(aJob())));

        Job job = await(client.jobs().getAsync(JOB_ID));

        assertThat(job.id()).isEqualTo(JOB_ID);
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(JOB_PATH)))).hasSize(3);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofMillis(250));
        assertThat(retries).extracting(RetryEvent::failedAttempt).containsExactly(1, 2);
    }

    @Test
    void asyncSubmitKeepsItsIdempotencyKeyAcrossRetries() {
        respondInTurn(wm, "POST", "/api/plugin-core/jobs", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                aResponse().withStatus(201).withBody(json(aJob())));

        await(client.jobs().submitAsync(aSpec()));

        List<LoggedRequest> attempts = wm.findAll(postRequestedFor(urlPathEqualTo("/api/plugin-core/jobs")));
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).getHeader("Idempotency-Key")).isNotBlank()
                .isEqualTo(attempts.get(1).getHeader("Idempotency-Key"));
    }

    @Test
    void asyncFailureCompletesTheFutureWithTheTypedException() {
        respondInTurn(wm, "GET", JOB_PATH, aResponse().withStatus(404).withBody(Fixtures.problem("not-found", 404,
                "job not found")));

        CompletableFuture<Job> future = client.jobs().getAsync(JOB_ID);

        assertThatThrownBy(() -> await(future)).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("job not found");
    }

    @Test
    void asyncPostWithoutKeyIsNotRetriedOn5xx() {
        respondInTurn(wm, "POST", JOB_PATH + "/cancel", aResponse().withStatus(503),
                aResponse().withStatus(200).withBody(json(aJob())));

        assertThatThrownBy(() -> await(client.jobs().cancelAsync(JOB_ID))).cause()
                .isInstanceOf(ServerException.class);
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(JOB_PATH + "/cancel")))).hasSize(1);
    }

    @Test
    void asyncRetriesStopAtTheTotalTimeLimit() {
        client.close();
        client = CortexClient.builder().baseUrl(wm.baseUrl()).sleeper(time).clock(time)
                .retry(RetryConfig.builder().maxAttempts(10).maxDuration(Duration.ofSeconds(5)).build()).build();
        respondInTurn(wm, "GET", JOB_PATH, aResponse().withStatus(503).withHeader("Retry-After", "2"));

        assertThatThrownBy(() -> await(client.jobs().getAsync(JOB_ID))).cause().isInstanceOf(ServerException.class)
                .extracting(e -> ((ServerException) e).attempts()).isEqualTo(3);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void anInvalidArgumentFailsAtOnce() {
        assertThatThrownBy(() -> client.jobs().getAsync(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("jobId cannot be null");
    }
}
