package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.store.InMemoryJobStore;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.OutboxEntry;
import io.cortex.core.store.Page;
import io.cortex.core.job.Job;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.server.TestServer.Reply;
import io.cortex.webhooks.AttemptOutcome;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookEventTypes;
import io.cortex.webhooks.WebhookSecret;
import io.cortex.webhooks.WebhookSubscription;
import io.cortex.webhooks.WebhookSubscriptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /api/system/metrics/prometheus over real HTTP. */
class PrometheusEndpointTest {
    private static final String PATH = "/api/system/metrics/prometheus";

    private final ManualClock clock = new ManualClock();
    private final ApiKeys keys = new ApiKeys(clock);
    private final GeneratedApiKey reader = keys.generate("reader", Scope.READ);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(0, c);
        return c;
    }

    private InMemoryProvider alpha() {
        return InMemoryProvider.builder("alpha").clock(clock).price("0.10", "USDC").wallet("50").build();
    }

    private Cortex engine(Object registry) {
        Cortex.Builder b = Cortex.builder().clock(clock).manual().provider(alpha());
        if (registry != null) {
            b.meterRegistry(registry);
        }
        return closing(b.build());
    }

    private CortexServer server(Cortex cortex) {
        return closing(CortexServer.builder().cortex(cortex).apiKeys(keys).start());
    }

    private Reply get(CortexServer server, GeneratedApiKey key, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.uri().resolve(PATH)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            r.header("Authorization", "Bearer " + key.token());
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(resp.statusCode(), resp.headers(), resp.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void scrapeServesTheEnginesAndTheDispatchersMetersWithHelpInPrometheusTextFormat() throws IOException {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Cortex cortex = engine(prometheus);
        WebhookSubscriptions subs = new WebhookSubscriptions();
        // an endpoint nobody listens on: every attempt fails with a refused connection
        subs.create(WebhookSubscription.builder().id("down").url("http://127.0.0.1:" + closedPort() + "/hook")
                .eventTypes(WebhookEventTypes.ALL).secrets(WebhookSecret.generate()).allowPlainHttp(true)
                .allowPrivateAddresses(true).build());
        WebhookDispatcher dispatcher = closing(WebhookDispatcher.builder().engine(cortex).subscriptions(subs).manual()
                .meterRegistry(prometheus).build());
        CortexServer server = closing(CortexServer.builder().cortex(cortex).apiKeys(keys).webhooks(subs)
                .webhookDispatcher(dispatcher).start());

        cortex.submit(JobSpec.builder().image("acme/app:1").build());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> dispatcher.metrics().attempts(AttemptOutcome.NETWORK_ERROR) >= 1);

        Reply r = get(server, reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body())
                .contains("# HELP cortex_jobs Jobs held in the store, by state")
                .contains("# TYPE cortex_jobs gauge")
                .contains("cortex_jobs{state=\"SUCCEEDED\"} 1.0")
                .contains("cortex_jobs{state=\"PENDING\"} 0.0")
                .contains("# HELP cortex_jobs_submitted_total ")
                .contains("cortex_jobs_submitted_total 1.0")
                .contains("cortex_jobs_transitions_total{to=\"ASSIGNED\"} 1.0")
                .contains("cortex_jobs_failovers_total{reason=\"PROVIDER_OFFLINE\"} 0.0")
                .contains("cortex_placement_latency_seconds_count{outcome=\"PLACED\"} 1")
                .contains("cortex_provider_status{provider=\"alpha\",status=\"ONLINE\"} 1.0")
                .contains("cortex_provider_status{provider=\"alpha\",status=\"OFFLINE\"} 0.0")
                .contains("cortex_provider_wallet_balance{currency=\"USDC\",provider=\"alpha\"} 50.0")
                .contains("# HELP cortex_webhook_attempts_seconds ")
                .contains("cortex_webhook_attempts_seconds_count{outcome=\"NETWORK_ERROR\"}")
                .contains("cortex_webhook_deliveries_accepted_total ")
                .doesNotContain("job_");
    }

    @Test
    void anOpenMetricsScraperGetsOpenMetrics() {
        Cortex cortex = engine(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        CortexServer server = server(cortex);

        Reply r = get(server, reader, "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(r.body()).contains("# HELP cortex_jobs_submitted ").endsWith("# EOF\n");
    }

    @Test
    void theScrapeNeedsAKey() {
        CortexServer server = server(engine(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));

        Reply r = get(server, null);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void anEngineWithoutRegistryAnswers404ProblemSayingHowToEnableIt() {
        CortexServer server = server(engine(null));

        Reply r = get(server, reader);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/not-found");
        assertThat(r.json().get("feature").asText()).isEqualTo("prometheus");
        assertThat(r.json().get("detail").asText())
                .startsWith("Prometheus metrics are not enabled: the engine records its meters into no registry")
                .contains("Cortex.builder().meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))")
                .contains("CortexServer.builder().prometheusRegistry(registry)");
        assertThat(r.json().get("instance").asText()).isEqualTo(PATH);
    }

    @Test
    void anEngineRecordingIntoAnotherKindOfRegistryIsToldWhichOneAndWhatToDo() {
        CortexServer server = server(engine(new SimpleMeterRegistry()));

        Reply r = get(server, reader);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("detail").asText())
                .contains("the engine records its meters into a SimpleMeterRegistry, which Prometheus cannot scrape");
    }

    @Test
    void aPrometheusRegistryInsideTheEnginesCompositeIsFound() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CompositeMeterRegistry inner = new CompositeMeterRegistry();
        inner.add(prometheus);
        CompositeMeterRegistry outer = new CompositeMeterRegistry();
        outer.add(new SimpleMeterRegistry());
        outer.add(inner);
        outer.config().commonTags("engine", "blue");
        CortexServer server = server(engine(outer));

        Reply r = get(server, reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("cortex_jobs_submitted_total{engine=\"blue\"} 0.0");
    }

    @Test
    void aRegistryGivenToTheServerIsServedAsIs() {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        own.counter("app.orders").increment(3);
        CortexServer server = closing(CortexServer.builder().cortex(engine(null)).apiKeys(keys).prometheusRegistry(own)
                .start());

        Reply r = get(server, reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("app_orders_total 3.0").doesNotContain("cortex_jobs");
    }

    @Test
    void theServerOptionTakesOnlyAPrometheusRegistryOnce() {
        MeterRegistry simple = new SimpleMeterRegistry();
        assertThatThrownBy(() -> CortexServer.builder().prometheusRegistry(simple))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prometheusRegistry must be a io.micrometer.prometheusmetrics.PrometheusMeterRegistry (from "
                        + "io.micrometer:micrometer-registry-prometheus), got "
                        + "io.micrometer.core.instrument.simple.SimpleMeterRegistry");
        PrometheusMeterRegistry p = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertThatThrownBy(() -> CortexServer.builder().prometheusRegistry(p).prometheusRegistry(p))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("prometheusRegistry was already set to");
    }

    @Test
    void aStoreThatCannotCountLeavesItsGaugesEmptyAndTheRestOfTheScrapeIntact() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CountFailingStore store = new CountFailingStore();
        Cortex cortex = closing(Cortex.builder().clock(clock).manual().provider(alpha()).store(store)
                .meterRegistry(prometheus).build());
        cortex.submit(JobSpec.builder().image("acme/app:1").build());
        store.failing = true;

        Reply r = get(server(cortex), reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("cortex_jobs{state=\"SUCCEEDED\"} NaN").contains("cortex_jobs_submitted_total 1.0");
    }

    /** The in-memory store, except that counting jobs fails on demand (a database that went away). */
    private static final class CountFailingStore implements JobStore {
        private final InMemoryJobStore delegate = new InMemoryJobStore();
        volatile boolean failing;

        @Override
        public Map<JobState, Long> countByState() {
            if (failing) {
                throw new IllegalStateException("connection refused");
            }
            return delegate.countByState();
        }

        @Override
        public void insert(Job job, JobEvent event) {
            delegate.insert(job, event);
        }

        @Override
        public Optional<Job> get(JobId id) {
            return delegate.get(id);
        }

        @Override
        public boolean update(Job job, long expectedVersion, JobEvent event) {
            return delegate.update(job, expectedVersion, event);
        }

        @Override
        public Page<Job> query(JobQuery query) {
            return delegate.query(query);
        }

        @Override
        public List<Job> activeJobs() {
            return delegate.activeJobs();
        }

        @Override
        public List<JobEvent> events(JobId id) {
            return delegate.events(id);
        }

        @Override
        public void publish(CortexEvent event) {
            delegate.publish(event);
        }

        @Override
        public List<OutboxEntry> outbox(int limit) {
            return delegate.outbox(limit);
        }

        @Override
        public void acknowledge(long sequence) {
            delegate.acknowledge(sequence);
        }

        @Override
        public long outboxSize() {
            return delegate.outboxSize();
        }

        @Override
        public String describe() {
            return "count-failing " + delegate.describe();
        }
    }
}
