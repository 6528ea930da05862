package io.cortex.examples;

import com.sun.net.httpserver.HttpServer;
import io.cortex.core.Cortex;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.provider.inmemory.Outcome;
import io.cortex.server.ApiKeys;
import io.cortex.server.CortexServer;
import io.cortex.server.GeneratedApiKey;
import io.cortex.server.RateLimit;
import io.cortex.server.Scope;
import io.cortex.webhooks.UrlPolicy;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookSubscription;
import io.cortex.webhooks.WebhookSubscriptions;
import io.cortex.webhooks.WebhookVerificationException;
import io.cortex.webhooks.WebhookVerifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The operator guide, served: an engine with two in-memory providers behind a {@link CortexServer}
 * on port 8080 (or the first argument), an admin key and a read key, and the guide's curl commands
 * adapted to this machine. A local webhook receiver prints (and verifies) what the webhook
 * dispatcher delivers, so the guide's webhook steps need no outside endpoint. Stop with Ctrl-C.
 *
 * <p>Run: {@code mvn -q -pl examples -am install -DskipTests && mvn -q -pl examples exec:java
 * -Dexec.mainClass=io.cortex.examples.ServerDemo -Dexec.args=8080}
 */
public final class ServerDemo {
    private ServerDemo() {}

    /**
     * Starts the demo and waits for Ctrl-C.
     *
     * @param args an optional port (default 8080)
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;

        // "alpha" is paid from a wallet (0.10 USDC per hour, 25 USDC in it); "beta" charges nothing and has no wallet.
        // Jobs start 1 s after they are placed and end 3 s later, except the training job, which runs until cancelled.
        InMemoryProvider alpha = InMemoryProvider.builder("alpha").price("0.10", "USDC").wallet("25")
                .startAfter(Duration.ofSeconds(1)).runFor(Duration.ofSeconds(3)).build();
        InMemoryProvider beta = InMemoryProvider.builder("beta").startAfter(Duration.ofSeconds(1))
                .runFor(Duration.ofSeconds(3)).build();
        Outcome broken = Outcome.exit(3, "report template missing").printing("loading templates", "template 'q3.tmpl' not found");
        Outcome training = Outcome.hangRunning().printing("loading dataset", "epoch 1/10 loss=0.93");
        for (InMemoryProvider p : new InMemoryProvider[] {alpha, beta}) {
            p.onImage("acme/legacy-report", broken);
            p.onImage("acme/nightly-etl", Outcome.exit(1, "connection refused by warehouse"));
            p.onImage("ghcr.io/acme/train", training);
        }

        // the operator log also goes to a file (JSON lines, 10 MiB a file, 5 rotated files kept, gzipped)
        Path operatorLog = Files.createTempDirectory("cortex-demo-").resolve("operator.log");
        Cortex cortex = Cortex.builder().provider(alpha).provider(beta).pollInterval(Duration.ofSeconds(1))
                .healthCheckInterval(Duration.ofSeconds(5)).tickInterval(Duration.ofMillis(200)).operatorLogFile(operatorLog).build();
        WebhookSubscriptions subscriptions = new WebhookSubscriptions();
        WebhookDispatcher dispatcher = WebhookDispatcher.builder().engine(cortex).subscriptions(subscriptions).build();
        HttpServer receiver = startReceiver(subscriptions);
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort();

        ApiKeys keys = new ApiKeys();
        GeneratedApiKey admin = keys.generate("demo admin", Scope.ADMIN);
        GeneratedApiKey reader = keys.generate("demo dashboard", Scope.READ);
        CortexServer server = CortexServer.builder().cortex(cortex).apiKeys(keys).port(port).rateLimit(RateLimit.perMinute(600))
                .webhooks(subscriptions).webhookDispatcher(dispatcher)
                // the demo's receiver listens on this machine over plain http; a real deployment keeps the strict policy
                .webhookUrlPolicy(UrlPolicy.of(true, true))
                .start();

        // a job that runs, two that fail at once (one to read, one to resubmit), one that waits for funds: it may run
        // only on alpha for up to 300 h at 0.10 USDC/h, 30 USDC, and alpha's wallet holds 25 until it is topped up
        Job train = cortex.submit(JobSpec.builder().image("ghcr.io/acme/train:1.4").resources(2000, "4Gi", "20Gi")
                .label("team", "ml").build());
        Job report = cortex.submit(JobSpec.builder().image("acme/legacy-report:7").maxAttempts(1).build());
        Job etl = cortex.submit(JobSpec.builder().image("acme/nightly-etl:3").maxAttempts(1).build());
        Job waiting = cortex.submit(JobSpec.builder().image("acme/simulate:1").resources(8000, "32Gi", "100Gi")
                .allowProviders("alpha").maxRunTime(Duration.ofHours(300)).build());

        String base = server.uri().toString();
        System.out.println("Cortex is serving " + cortex.providers().stream().map(p -> p.id().value()).toList() + " on " + base);
        System.out.println("Webhook receiver (prints deliveries) on " + hook + "/webhook");
        System.out.println("Operator log file: " + operatorLog + "; API docs: " + base + "/api/docs");
        System.out.println();
        System.out.println("export CORTEX_ADMIN_KEY=" + admin.token() + "   # scopes read, write, admin");
        System.out.println("export CORTEX_READ_KEY=" + reader.token() + "   # scope read");
        System.out.println("# jobs: running " + train.id() + ", failing " + report.id() + " and " + etl.id()
                + ", waiting " + waiting.id());
        System.out.println();
        String a = "-H \"Authorization: Bearer $CORTEX_ADMIN_KEY\"";
        String r = "-H \"Authorization: Bearer $CORTEX_READ_KEY\"";
        String json = "-H \"Content-Type: application/json\"";
        String[][] steps = {
            {"Job stuck in pending: provider status", "curl -X GET \"" + base + "/api/plugin-core/providers/alpha/status\" " + r},
            {"wallet balance", "curl -X GET \"" + base + "/api/plugin-core/providers/alpha/wallet\" " + r},
            {"job events", "curl -X GET \"" + base + "/api/plugin-core/jobs/" + waiting.id() + "/events\" " + r},
            {"resubmit to another provider", "curl -X POST \"" + base + "/api/plugin-core/jobs/" + etl.id() + "/resubmit\" " + a
                    + " " + json + " -d '{\"provider\": \"alpha\"}'"},
            {"Job fails immediately: job logs", "curl -X GET \"" + base + "/api/plugin-core/jobs/" + report.id() + "/logs\" " + r},
            {"provider capabilities", "curl -X GET \"" + base + "/api/plugin-core/providers/alpha/capabilities\" " + r},
            {"adjust resources (pending jobs only)", "curl -X PUT \"" + base + "/api/plugin-core/jobs/" + waiting.id() + "\" " + a + " "
                    + json + " -d '{\"cpu\": 1000, \"memory\": \"1Gi\", \"storage\": \"10Gi\"}'"},
            {"Provider offline: update endpoints", "curl -X PUT \"" + base + "/api/plugin-core/providers/alpha\" " + a + " " + json
                    + " -d '{\"endpoints\": [\"https://updated-endpoint.example.com\"]}'"},
            {"refresh credentials", "curl -X POST \"" + base + "/api/plugin-core/providers/alpha/refresh-auth\" " + a},
            {"Authentication failures: auth logs", "curl -X GET \"" + base + "/api/system/logs?service=provider-auth&provider=alpha\" " + a},
            {"update credentials", "curl -X PUT \"" + base + "/api/plugin-core/providers/alpha/credentials\" " + a + " " + json
                    + " -d '{\"apiKey\": \"new-api-key\", \"secret\": \"new-secret\"}'"},
            {"top up the wallet", "curl -X POST \"" + base + "/api/plugin-core/providers/alpha/wallet/topup\" " + a + " " + json
                    + " -d '{\"amount\": \"10.0\"}'"},
            {"Dashboard: API connectivity", "curl -X GET \"" + base + "/api/health\" " + r},
            {"Metrics: metrics service status", "curl -X GET \"" + base + "/api/system/services/metrics\" " + r},
            {"permissions", "curl -X GET \"" + base + "/api/users/me/permissions\" " + r},
            {"restart metrics collection", "curl -X POST \"" + base + "/api/system/services/metrics/restart\" " + a},
            {"Rate limiting: current status", "curl -i -X GET \"" + base + "/api/system/rate-limits\" " + r},
            {"switch to webhooks", "curl -X POST \"" + base + "/api/plugin-core/webhooks\" " + a + " " + json
                    + " -d '{\"url\": \"" + hook + "/webhook\", \"events\": [\"job.status.changed\", \"provider.status.changed\"]}'"},
            {"(make an event: cancel the training job)", "curl -X POST \"" + base + "/api/plugin-core/jobs/" + train.id() + "/cancel\" "
                    + a},
            {"Webhook failures: delivery history", "curl -X GET \"" + base + "/api/plugin-core/webhooks/$WEBHOOK_ID/history\" " + r},
            {"update the webhook", "curl -X PUT \"" + base + "/api/plugin-core/webhooks/$WEBHOOK_ID\" " + a + " " + json
                    + " -d '{\"url\": \"" + hook + "/new-endpoint\", \"timeout\": 10}'"},
            {"Resources: system resource usage", "curl -X GET \"" + base + "/api/system/metrics/resources\" " + r},
            {"Database: status (501 without a durable store)", "curl -X GET \"" + base + "/api/system/database/status\" " + a},
            {"High CPU: resource-intensive processes", "curl -X GET \"" + base + "/api/system/processes\" " + r},
            {"configure log rotation", "curl -X PUT \"" + base + "/api/system/logging/config\" " + a + " " + json
                    + " -d '{\"maxSize\": \"100MB\", \"maxFiles\": 10, \"compressionEnabled\": true}'"},
            {"Failed upgrades: upgrade logs", "curl -X GET \"" + base + "/api/system/logs?service=upgrade\" " + a},
            {"system requirements", "curl -X GET \"" + base + "/api/system/requirements\" " + r},
            {"disk space", "curl -X GET \"" + base + "/api/system/storage\" " + r},
            {"rollback (501: what to do instead)", "curl -X POST \"" + base + "/api/system/rollback\" " + a + " " + json
                    + " -d '{\"version\": \"previous-stable-version\"}'"},
            {"Containers (501: what to look at instead)", "curl -X GET \"" + base + "/api/system/containers\" " + r},
            {"the OpenAPI document (Swagger UI at /api/docs)", "curl -X GET \"" + base + "/api/openapi.json\""},
        };
        for (String[] step : steps) {
            System.out.println("# " + step[0]);
            System.out.println(step[1]);
        }
        System.out.println();
        System.out.println("Ctrl-C stops the server.");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            dispatcher.close();
            cortex.close();
            receiver.stop(0);
            stopped.countDown();
        }, "server-demo-shutdown"));
        stopped.await();
    }

    /** A local endpoint that prints each webhook and whether its signature matches a subscription's secret. */
    private static HttpServer startReceiver(WebhookSubscriptions subscriptions) throws IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String verdict = "signature matches no subscription";
            for (WebhookSubscription s : subscriptions.list()) {
                try {
                    WebhookVerifier.builder().secrets(s.secrets()).build().verify(body, exchange.getRequestHeaders());
                    verdict = "signature verified for " + s.id();
                    break;
                } catch (WebhookVerificationException e) {
                    // try the next subscription
                }
            }
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            System.out.println("webhook " + exchange.getRequestHeaders().getFirst("webhook-id") + " to " + exchange.getRequestURI()
                    + " (" + verdict + "): " + (text.length() > 160 ? text.substring(0, 160) + "…" : text));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        return receiver;
    }
}
