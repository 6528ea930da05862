package io.cortex.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.json.CortexJson;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.provider.inmemory.Outcome;
import io.cortex.webhooks.Delivery;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookSecret;
import io.cortex.webhooks.WebhookSubscription;
import io.cortex.webhooks.WebhookSubscriptions;
import io.cortex.webhooks.UrlPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What the browser tests point Chromium at: a real {@link CortexServer} on an ephemeral loopback port
 * over a manual engine whose clock starts at the real time (so the console's "3 min ago" reads true)
 * and moves only when a test says so:
 * <ul>
 *   <li>{@code alpha}: 0.10 USDC/h, wallet 50 USDC, starts a job 10 s after taking it and runs it 20 s;
 *       {@code acme/broken} exits 2, {@code acme/stuck} is accepted and never started (a failover after
 *       the 5-minute pending timeout);</li>
 *   <li>{@code beta}: 0.20 USDC/h, no wallet, same timing; {@code acme/broken} exits 2.</li>
 * </ul>
 * Keys: {@link #admin} (every scope) and {@link #reader} (read only). Webhooks to two local receivers,
 * {@code /ok} answering 204 and {@code /down} answering 503 while "in maintenance" (from the start
 * until {@link #endMaintenance()}), through a manual dispatcher.
 */
final class ConsoleStage implements AutoCloseable {
    final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final InMemoryProvider alpha;
    final InMemoryProvider beta;
    final Cortex cortex;
    final ApiKeys keys = new ApiKeys(clock);
    final GeneratedApiKey admin = keys.generate("ops on call", Scope.ADMIN);
    final GeneratedApiKey reader = keys.generate("dashboard viewer", Scope.READ);
    final WebhookSubscriptions subscriptions = new WebhookSubscriptions();
    final WebhookDispatcher dispatcher;
    final CortexServer server;
    /** The subscription of {@code /down}. */
    final String downId;
    private final HttpServer receiver;
    private volatile boolean maintenance = true;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ConsoleStage(RateLimit limit) {
        alpha = InMemoryProvider.builder("alpha").clock(clock).price("0.10", "USDC").wallet("50")
                .startAfter(Duration.ofSeconds(10)).runFor(Duration.ofSeconds(20)).build();
        beta = InMemoryProvider.builder("beta").clock(clock).price("0.20", "USDC")
                .startAfter(Duration.ofSeconds(10)).runFor(Duration.ofSeconds(20)).build();
        Outcome broken = Outcome.exit(2, "report template missing").printing("loading templates", "template 'q3.tmpl' not found");
        alpha.onImage("acme/broken", broken).onImage("acme/stuck", Outcome.hang());
        beta.onImage("acme/broken", broken);
        cortex = Cortex.builder().clock(clock).manual().provider(alpha).provider(beta).build();
        try {
            receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        receiver.createContext("/ok", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/down", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (!maintenance) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            byte[] body = "maintenance until 03:00".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        receiver.start();
        String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort();
        subscriptions.create(WebhookSubscription.builder().url(hooks + "/ok").eventTypes("job.status.changed")
                .allowPlainHttp(true).allowPrivateAddresses(true).secrets(WebhookSecret.generate())
                .description("billing: job results").build());
        downId = subscriptions.create(WebhookSubscription.builder().url(hooks + "/down").eventTypes("job.status.changed", "provider.status.changed")
                .allowPlainHttp(true).allowPrivateAddresses(true).secrets(WebhookSecret.generate())
                .description("pager: answers 503 during its maintenance").build()).id();
        dispatcher = WebhookDispatcher.builder().engine(cortex).subscriptions(subscriptions).clock(clock).manual().build();
        server = CortexServer.builder().cortex(cortex).apiKeys(keys).rateLimit(limit).webhooks(subscriptions)
                .webhookDispatcher(dispatcher).webhookUrlPolicy(UrlPolicy.of(true, true)).start();
    }

    /** Where the console is, e.g. {@code http://127.0.0.1:41234/console/}. */
    String console() {
        return server.uri() + "/console/";
    }

    /** Moves the clock, runs one round of the engine's background work and starts the webhook attempts due. */
    void advance(Duration by) {
        clock.advance(by);
        cortex.tick();
        dispatcher.runDue();
    }

    /** {@code /down} answers 204 from now on. */
    void endMaintenance() {
        maintenance = false;
    }

    /** {@code /down} answers 503 again. */
    void startMaintenance() {
        maintenance = true;
    }

    /** The delivery to webhook {@code subscriptionId} of the first event of job {@code jobId}, once stored. */
    Optional<Delivery> deliveryOf(String subscriptionId, String jobId) {
        return dispatcher.history(subscriptionId, Instant.EPOCH, 100_000).stream()
                .filter(d -> d.orderingKey().equals(jobId)).findFirst();
    }

    /** Submits a job over the REST API as the admin and returns its id. */
    String submit(String json) {
        JsonNode job = call("POST", "/api/plugin-core/jobs", json, 201);
        dispatcher.runDue();
        return job.get("id").asText();
    }

    /** The job as the REST API shows it. */
    JsonNode job(String id) {
        return call("GET", "/api/plugin-core/jobs/" + id, null, 200);
    }

    private JsonNode call(String method, String path, String json, int expected) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + admin.token())
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            r.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != expected) {
                throw new AssertionError(method + " " + path + " answered " + resp.statusCode() + ": " + resp.body());
            }
            return CortexJson.mapper().readTree(resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        dispatcher.close();
        cortex.close();
        receiver.stop(0);
    }
}
