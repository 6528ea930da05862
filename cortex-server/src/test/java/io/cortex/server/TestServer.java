package io.cortex.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.json.CortexJson;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.provider.inmemory.Outcome;
import io.cortex.webhooks.UrlPolicy;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookSubscriptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A real server on an ephemeral loopback port over a manual engine with a manual clock:
 * <ul>
 *   <li>{@code alpha}: in-memory, price 0.10 USDC/h, wallet 50, starts a job after 30 s and runs it for
 *       60 s; image {@code acme/broken} exits 2;</li>
 *   <li>{@code beta}: in-memory, price 0.20 USDC/h, no wallet, same timing;</li>
 *   <li>{@code gamma}: a bare provider that is offline and has no optional ability.</li>
 * </ul>
 * Keys: {@link #admin}, {@link #writer}, {@link #reader}. Webhooks with a manual dispatcher.
 */
final class TestServer implements AutoCloseable {
    static final String JOBS = "/api/plugin-core/jobs";

    final ManualClock clock = new ManualClock();
    final InMemoryProvider alpha;
    final InMemoryProvider beta;
    final Cortex cortex;
    final ApiKeys keys = new ApiKeys(clock);
    final GeneratedApiKey admin = keys.generate("admin", Scope.ADMIN);
    final GeneratedApiKey writer = keys.generate("writer", Scope.WRITE);
    final GeneratedApiKey reader = keys.generate("reader", Scope.READ);
    final WebhookSubscriptions subscriptions = new WebhookSubscriptions();
    final WebhookDispatcher dispatcher;
    final CortexServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    TestServer() {
        this(b -> b.rateLimit(RateLimit.of(100_000, Duration.ofMinutes(1))));
    }

    TestServer(Consumer<CortexServer.Builder> options) {
        this(engine -> {}, options);
    }

    /** With more engine options (e.g. an operator log file) besides the providers and the manual clock. */
    TestServer(Consumer<Cortex.Builder> engine, Consumer<CortexServer.Builder> options) {
        alpha = InMemoryProvider.builder("alpha").clock(clock).price("0.10", "USDC").wallet("50")
                .startAfter(Duration.ofSeconds(30)).runFor(Duration.ofSeconds(60)).build();
        beta = InMemoryProvider.builder("beta").clock(clock).price("0.20", "USDC")
                .startAfter(Duration.ofSeconds(30)).runFor(Duration.ofSeconds(60)).build();
        alpha.onImage("acme/broken", Outcome.exit(2, "boom"));
        beta.onImage("acme/broken", Outcome.exit(2, "boom"));
        Cortex.Builder cb = Cortex.builder().clock(clock).manual().provider(alpha).provider(beta).provider(new BareProvider("gamma"));
        engine.accept(cb);
        cortex = cb.build();
        dispatcher = WebhookDispatcher.builder().engine(cortex).subscriptions(subscriptions).manual().build();
        CortexServer.Builder b = CortexServer.builder().cortex(cortex).apiKeys(keys).webhooks(subscriptions)
                .webhookDispatcher(dispatcher).webhookUrlPolicy(UrlPolicy.of(true, true));
        options.accept(b);
        server = b.start();
    }

    /** Moves the clock and runs one round of the engine's background work. */
    void advance(Duration by) {
        clock.advance(by);
        cortex.tick();
    }

    Reply get(String path, GeneratedApiKey key) {
        return send("GET", path, key, null);
    }

    Reply post(String path, GeneratedApiKey key, String body, String... headers) {
        return send("POST", path, key, body, headers);
    }

    Reply put(String path, GeneratedApiKey key, String body) {
        return send("PUT", path, key, body);
    }

    Reply delete(String path, GeneratedApiKey key) {
        return send("DELETE", path, key, null);
    }

    Reply send(String method, String path, GeneratedApiKey key, String body, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        if (key != null) {
            r.header("Authorization", "Bearer " + key.token());
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return send(r.build());
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(resp.statusCode(), resp.headers(), resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a webhook subscription to another server over this engine, as the admin. */
    Reply postWebhook(CortexServer other, String body) {
        return send(HttpRequest.newBuilder(other.uri().resolve("/api/plugin-core/webhooks"))
                .header("Authorization", "Bearer " + admin.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Submits {@code body} as the writer and returns the new job's id. */
    String submit(String body) {
        Reply r = post(JOBS, writer, body);
        if (r.status() != 201) {
            throw new AssertionError("submit answered " + r.status() + ": " + r.body());
        }
        return r.json().get("id").asText();
    }

    @Override
    public void close() {
        server.close();
        dispatcher.close();
        cortex.close();
    }

    /** One HTTP answer. */
    record Reply(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return CortexJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        /** The problem's first field error, as "field/rule". */
        String firstError() {
            JsonNode e = json().path("errors").path(0);
            return e.path("field").asText() + "/" + e.path("rule").asText();
        }
    }
}
