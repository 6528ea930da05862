package io.cortex.client.nomicrometer;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.cortex.client.CortexClient;
import io.cortex.client.RetryConfig;
import io.cortex.core.Cortex;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.server.ApiKeys;
import io.cortex.server.CortexServer;
import io.cortex.server.GeneratedApiKey;
import io.cortex.server.Scope;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookEventTypes;
import io.cortex.webhooks.WebhookSecret;
import io.cortex.webhooks.WebhookSubscription;
import io.cortex.webhooks.WebhookSubscriptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An application without Micrometer, run by {@link NoMicrometerTest} in a class loader whose class path
 * lacks micrometer and prometheus: an engine with background threads, a webhook dispatcher delivering
 * to a local receiver, the server, and the client submitting a job over HTTP and reading it until it
 * succeeded. Returns what it saw; any {@code NoClassDefFoundError} escapes and fails the test.
 */
public final class Scenario implements Supplier<Map<String, Object>> {
    @Override
    public Map<String, Object> get() {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("loader", Cortex.class.getClassLoader().getName());
        // reflection over every builder: a method signature naming a Micrometer type would fail here
        int methods = Cortex.class.getMethods().length + Cortex.Builder.class.getMethods().length
                + WebhookDispatcher.Builder.class.getMethods().length + CortexClient.Builder.class.getMethods().length
                + CortexServer.Builder.class.getMethods().length + WebhookDispatcher.class.getMethods().length
                + CortexClient.class.getMethods().length;
        seen.put("methods", methods);
        try {
            Cortex.builder().meterRegistry(new Object());
        } catch (IllegalArgumentException e) {
            seen.put("meterRegistryRefused", e.getMessage());
        }

        AtomicInteger received = new AtomicInteger();
        HttpServer receiver;
        try {
            receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        ApiKeys keys = new ApiKeys();
        GeneratedApiKey key = keys.generate("app", Scope.ADMIN);
        WebhookSubscriptions subscriptions = new WebhookSubscriptions();
        subscriptions.create(WebhookSubscription.builder().id("app")
                .url("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook").eventTypes(WebhookEventTypes.ALL)
                .secrets(WebhookSecret.generate()).allowPlainHttp(true).allowPrivateAddresses(true).build());
        try (Cortex cortex = Cortex.builder().provider(InMemoryProvider.builder("local").build()).build();
                WebhookDispatcher dispatcher = WebhookDispatcher.builder().engine(cortex).subscriptions(subscriptions).build();
                CortexServer server = CortexServer.builder().cortex(cortex).apiKeys(keys).webhooks(subscriptions)
                        .webhookDispatcher(dispatcher).start();
                CortexClient client = CortexClient.builder().baseUrl(server.uri()).apiKey(key.token())
                        .retry(RetryConfig.ofDefaults()).build()) {
            Job job = client.jobs().submit(JobSpec.builder().image("acme/app:1").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> client.jobs().get(job.id()).state() == JobState.SUCCEEDED);
            await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.metrics().succeeded() >= 3);
            seen.put("job", client.jobs().get(job.id()).state().name());
            seen.put("webhooksReceived", received.get());
            seen.put("engineMeterRegistry", cortex.meterRegistry().isPresent());

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.uri() + "/api/system/metrics/prometheus"))
                            .header("Authorization", "Bearer " + key.token()).build(),
                    HttpResponse.BodyHandlers.ofString());
            seen.put("scrapeStatus", scrape.statusCode());
            seen.put("scrapeType", scrape.headers().firstValue("Content-Type").orElse(""));
            seen.put("scrapeBody", scrape.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            receiver.stop(0);
        }
        return seen;
    }
}
