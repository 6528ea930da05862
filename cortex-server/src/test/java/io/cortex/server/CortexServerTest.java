package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.job.JobSpec;
import io.cortex.provider.inmemory.InMemoryProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CortexServerTest {
    private final ManualClock clock = new ManualClock();
    private final Cortex cortex = Cortex.builder().clock(clock).manual()
            .provider(InMemoryProvider.builder("solo").clock(clock).build()).build();

    @AfterEach
    void close() {
        cortex.close();
    }

    @Test
    void portZeroListensOnAnEphemeralPortUntilClosed() throws Exception {
        CortexServer server = CortexServer.builder().cortex(cortex).start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(server.uri().resolve("/api/health")).timeout(Duration.ofSeconds(10)).build();

        assertThat(server.port()).isPositive();
        assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
        assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        server.close();
        server.close();

        assertThatThrownBy(() -> http.send(health, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfAny(ConnectException.class, IOException.class);
        assertThat(cortex.submit(JobSpec.builder().image("acme/after-close:1").build()).id()).isNotNull(); // the engine stays open
    }

    @Test
    void aPortInUseIsAClearError() {
        try (CortexServer first = CortexServer.builder().cortex(cortex).start()) {
            assertThatThrownBy(() -> CortexServer.builder().cortex(cortex).port(first.port()).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(String.valueOf(first.port()));
        }
    }

    @Test
    void theBuilderRefusesMissingAndRepeatedOptions() {
        assertThatThrownBy(() -> CortexServer.builder().start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cortex is required");
        assertThatThrownBy(() -> CortexServer.builder().port(8080).port(9090)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already set to 8080");
        assertThatThrownBy(() -> CortexServer.builder().port(70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CortexServer.builder().maxBodyBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CortexServer.builder().cortex(cortex).webhookDispatcher(
                io.cortex.webhooks.WebhookDispatcher.builder().subscriptions(new io.cortex.webhooks.WebhookSubscriptions()).manual()
                        .build()).start()).isInstanceOf(IllegalStateException.class).hasMessageContaining("webhooks");
    }

    @Test
    void eventStreamOptionsAreValidated() {
        assertThatThrownBy(() -> CortexServer.builder().eventReplayWindow(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventReplayWindow must be between 1 and 1000000, got 0");
        assertThatThrownBy(() -> CortexServer.builder().eventReplayWindow(5).eventReplayWindow(6))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set to 5");
        assertThatThrownBy(() -> CortexServer.builder().eventKeepAlive(Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 10 ms and 25 s");
        assertThatThrownBy(() -> CortexServer.builder().eventKeepAlive(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CortexServer.builder().maxEventStreams(201)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEventStreams must be between 1 and 200, got 201");
        try (CortexServer server = CortexServer.builder().cortex(cortex).eventReplayWindow(1).eventKeepAlive(Duration.ofSeconds(25))
                .maxEventStreams(200).start()) {
            assertThat(server.eventStreamClients()).isZero();
        }
    }

    @Test
    void rateLimitsAreValidated() {
        assertThat(RateLimit.perMinute(60)).isEqualTo(RateLimit.of(60, Duration.ofMinutes(1)));
        assertThat(RateLimit.unlimited().isUnlimited()).isTrue();
        assertThat(RateLimit.perMinute(60).toString()).isEqualTo("60 requests per PT1M");
        assertThatThrownBy(() -> RateLimit.of(0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.of(5, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
