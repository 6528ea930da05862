package io.cortex.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.requestMadeFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cortex.client.Fixtures.API_KEY;
import static io.cortex.client.Fixtures.JOB_ID;
import static io.cortex.client.Fixtures.aJob;
import static io.cortex.client.Fixtures.aSpec;
import static io.cortex.client.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cortex.core.diagnostics.Diagnosis;
import io.cortex.core.diagnostics.Finding;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderInfo;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.WalletBalance;
import io.cortex.core.service.ServiceInfo;
import io.cortex.core.service.ServiceState;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.Page;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each typed method sends its method, path, query and body, and reads its answer into the model type. */
class EndpointsTest {
    private static final ProviderId AKASH = ProviderId.of("akash");
    private static final ProviderInfo AKASH_INFO = new ProviderInfo(AKASH, "inmemory", ProviderStatus.ONLINE, null, "ok",
            FakeTime.T0, FakeTime.T0, 0, 1, ProviderCapabilities.of(4000, "8Gi", "100Gi"), Set.of("wallet"), null);
    private static final String SUBSCRIPTION = """
            {"id":"wh_1","url":"https://hooks.example.com/cortex","events":["job.status.changed"],"timeout":10,
             "enabled":true,"description":"ops","secretFingerprints":["fp1"],"secret":"whsec_c2VjcmV0c2VjcmV0c2VjcmV0",
             "endpointStatus":{"subscriptionId":"wh_1","enabled":true,"queued":0,"inFlight":0,"backpressured":false,
             "consecutiveFailures":0}}""";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private CortexClient client;

    @BeforeEach
    void open() {
        client = CortexClient.builder().baseUrl(wm.baseUrl()).apiKey(API_KEY).sleeper(new FakeTime()).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static void answer(int status, String body) {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body)));
    }

    /** The one request the call made. */
    private static LoggedRequest theRequest() {
        List<LoggedRequest> all = wm.findAll(requestMadeFor(r -> com.github.tomakehurst.wiremock.matching.MatchResult.exactMatch()));
        assertThat(all).hasSize(1);
        LoggedRequest r = all.get(0);
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(r.getHeader("Accept")).isEqualTo("application/json");
        return r;
    }

    private static void assertRequest(String method, String url) {
        LoggedRequest r = theRequest();
        assertThat(r.getMethod().getName()).isEqualTo(method);
        assertThat(r.getUrl()).isEqualTo(url);
    }

    private static void assertBody(String json) {
        assertThat(equalToJson(json).match(theRequest().getBodyAsString()).isExactMatch())
                .as("body %s", theRequest().getBodyAsString()).isTrue();
    }

    // ---- jobs -------------------------------------------------------------------------------------------------

    @Test
    void submitPostsTheSpecAndReadsTheJob() {
        answer(201, json(aJob()));

        Job job = client.jobs().submit(aSpec());

        assertThat(job).usingRecursiveComparison().isEqualTo(aJob());
        assertRequest("POST", "/api/plugin-core/jobs");
        assertBody(json(aSpec()));
        assertThat(theRequest().getHeader("Content-Type")).startsWith("application/json");
    }

    @Test
    void listSendsStatesProviderLabelsAndPaging() {
        answer(200, json(new Page<>(List.of(aJob()), 20, 10, 21)));

        Page<Job> page = client.jobs().list(JobQuery.inStates(JobState.RUNNING, JobState.PENDING).onProvider(AKASH)
                .withLabel("team", "ml").page(20, 10));

        assertThat(page.items()).singleElement().extracting(Job::id).isEqualTo(JOB_ID);
        assertThat(page.total()).isEqualTo(21);
        assertThat(page.hasMore()).isFalse();
        assertRequest("GET", "/api/plugin-core/jobs?state=pending&state=running&provider=akash&label=team%3Aml"
                + "&offset=20&limit=10");
    }

    @Test
    void listWithoutQueryAsksForTheFirstHundred() {
        answer(200, json(new Page<>(List.of(), 0, 100, 0)));

        assertThat(client.jobs().list().items()).isEmpty();

        assertRequest("GET", "/api/plugin-core/jobs?offset=0&limit=100");
    }

    @Test
    void getReadsOneJob() {
        answer(200, json(aJob()));

        assertThat(client.jobs().get(JOB_ID).state()).isEqualTo(JobState.PENDING);

        assertRequest("GET", "/api/plugin-core/jobs/" + JOB_ID.value());
    }

    @Test
    void updateResourcesPutsTheResourcesBody() {
        answer(200, json(aJob()));

        client.jobs().updateResources(JOB_ID, Resources.of(1000, "1Gi", "10Gi"));

        assertRequest("PUT", "/api/plugin-core/jobs/" + JOB_ID.value());
        assertBody("{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"10Gi\",\"gpus\":0}");
    }

    @Test
    void eventsReadTheHistory() {
        answer(200, json(List.of(Job.create(JOB_ID, aSpec(), FakeTime.T0).event())));

        assertThat(client.jobs().events(JOB_ID)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(ReasonCode.SUBMITTED));

        assertRequest("GET", "/api/plugin-core/jobs/" + JOB_ID.value() + "/events");
    }

    @Test
    void logsReadLinesAfterACursor() {
        answer(200, json(List.of(new LogLine(5, FakeTime.T0, "stdout", "hello"))));

        assertThat(client.jobs().logs(JOB_ID, 4, 50)).containsExactly(new LogLine(5, FakeTime.T0, "stdout", "hello"));

        assertRequest("GET", "/api/plugin-core/jobs/" + JOB_ID.value() + "/logs?after=4&limit=50");
    }

    @Test
    void resubmitNamesTheProviderOrSendsNoBody() {
        answer(200, json(aJob()));

        client.jobs().resubmit(JOB_ID, AKASH);

        assertRequest("POST", "/api/plugin-core/jobs/" + JOB_ID.value() + "/resubmit");
        assertBody("{\"provider\":\"akash\"}");
        wm.resetRequests();
        client.jobs().resubmit(JOB_ID);
        assertThat(theRequest().getBodyAsString()).isEmpty();
        assertThat(theRequest().getHeader("Idempotency-Key")).isNull();
    }

    @Test
    void cancelPostsWithoutBody() {
        answer(200, json(aJob()));

        client.jobs().cancel(JOB_ID);

        assertRequest("POST", "/api/plugin-core/jobs/" + JOB_ID.value() + "/cancel");
    }

    @Test
    void diagnoseReadsTheDiagnosis() {
        Diagnosis diagnosis = new Diagnosis(JOB_ID, JobState.PENDING, "no funds",
                List.of(new Finding(Finding.Severity.BLOCKING, ReasonCode.INSUFFICIENT_FUNDS, "akash", "0.5 < 1.2",
                        "top up")), FakeTime.T0);
        answer(200, json(diagnosis));

        assertThat(client.jobs().diagnose(JOB_ID)).isEqualTo(diagnosis);

        assertRequest("GET", "/api/plugin-core/jobs/" + JOB_ID.value() + "/diagnosis");
    }

    // ---- providers ----------------------------------------------------------------------------------------

    @Test
    void providersListAndGet() {
        answer(200, json(List.of(AKASH_INFO)));
        assertThat(client.providers().list()).containsExactly(AKASH_INFO);
        assertRequest("GET", "/api/plugin-core/providers");

        wm.resetAll();
        answer(200, json(AKASH_INFO));
        assertThat(client.providers().get(AKASH)).isEqualTo(AKASH_INFO);
        assertRequest("GET", "/api/plugin-core/providers/akash");
    }

    @Test
    void getReadsAProviderThatShowsItsEndpoints() {
        String withEndpoints = json(AKASH_INFO).replaceFirst("}$", ",\"endpoints\":[\"https://a.example\",\"https://b.example\"]}");
        answer(200, withEndpoints);

        assertThat(client.providers().get(AKASH)).isEqualTo(AKASH_INFO);
        wm.resetRequests();
        assertThat(client.providers().endpoints(AKASH)).containsExactly(URI.create("https://a.example"),
                URI.create("https://b.example"));
    }

    @Test
    void updateEndpointsPutsTheList() {
        answer(200, json(AKASH_INFO));

        client.providers().updateEndpoints(AKASH, List.of(URI.create("https://c.example")));

        assertRequest("PUT", "/api/plugin-core/providers/akash");
        assertBody("{\"endpoints\":[\"https://c.example\"]}");
    }

    @Test
    void statusCapabilitiesAndWalletAreRead() {
        answer(200, json(AKASH_INFO));
        assertThat(client.providers().status(AKASH).status()).isEqualTo(ProviderStatus.ONLINE);
        assertRequest("GET", "/api/plugin-core/providers/akash/status");

        wm.resetAll();
        answer(200, json(ProviderCapabilities.of(4000, "8Gi", "100Gi")));
        assertThat(client.providers().capabilities(AKASH)).isEqualTo(ProviderCapabilities.of(4000, "8Gi", "100Gi"));
        assertRequest("GET", "/api/plugin-core/providers/akash/capabilities");

        wm.resetAll();
        answer(200, json(WalletBalance.of("12.50", "USDC")));
        assertThat(client.providers().wallet(AKASH)).isEqualTo(WalletBalance.of("12.50", "USDC"));
        assertRequest("GET", "/api/plugin-core/providers/akash/wallet");
    }

    @Test
    void topUpSendsTheAmountAsAnExactString() {
        answer(200, json(WalletBalance.of("22.50", "USDC")));

        assertThat(client.providers().topUp(AKASH, new BigDecimal("10.0")).amount()).isEqualByComparingTo("22.50");

        assertRequest("POST", "/api/plugin-core/providers/akash/wallet/topup");
        assertBody("{\"amount\":\"10.0\"}");
    }

    @Test
    void refreshAuthAndCredentialsReachTheProvider() {
        answer(200, json(AKASH_INFO));
        client.providers().refreshAuth(AKASH);
        assertRequest("POST", "/api/plugin-core/providers/akash/refresh-auth");

        wm.resetRequests();
        client.providers().updateCredentials(AKASH, Credentials.of(Map.of("apiKey", "new-key", "secret", "new-secret")));
        assertRequest("PUT", "/api/plugin-core/providers/akash/credentials");
        assertBody("{\"apiKey\":\"new-key\",\"secret\":\"new-secret\"}");
    }

    // ---- webhooks -----------------------------------------------------------------------------------------

    @Test
    void createPostsTheSubscriptionAndReadsItsSecret() {
        answer(201, SUBSCRIPTION);

        WebhookSubscription s = client.webhooks().create(NewWebhook.of("https://hooks.example.com/cortex",
                "job.status.changed").withTimeout(Duration.ofSeconds(10)).withDescription("ops"));

        assertThat(s.id()).isEqualTo("wh_1");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.signingSecret()).contains("whsec_c2VjcmV0c2VjcmV0c2VjcmV0");
        assertThat(s.toString()).doesNotContain("whsec_");
        assertThat(s.endpointStatus().queued()).isZero();
        assertRequest("POST", "/api/plugin-core/webhooks");
        assertBody("{\"url\":\"https://hooks.example.com/cortex\",\"events\":[\"job.status.changed\"],\"timeout\":10,"
                + "\"description\":\"ops\"}");
    }

    @Test
    void webhooksAreListedReadUpdatedAndDeleted() {
        answer(200, "[" + SUBSCRIPTION + "]");
        assertThat(client.webhooks().list()).extracting(WebhookSubscription::id).containsExactly("wh_1");
        assertRequest("GET", "/api/plugin-core/webhooks");

        wm.resetAll();
        answer(200, SUBSCRIPTION);
        assertThat(client.webhooks().get("wh_1").url()).isEqualTo("https://hooks.example.com/cortex");
        assertRequest("GET", "/api/plugin-core/webhooks/wh_1");

        wm.resetRequests();
        client.webhooks().update("wh_1", WebhookUpdate.none().withEnabled(false).withTimeout(Duration.ofSeconds(5)));
        assertRequest("PUT", "/api/plugin-core/webhooks/wh_1");
        assertBody("{\"timeout\":5,\"enabled\":false}");

        wm.resetAll();
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        client.webhooks().delete("wh_1");
        assertRequest("DELETE", "/api/plugin-core/webhooks/wh_1");
    }

    @Test
    void historyReadsDeliveriesAndTheirAttempts() {
        answer(200, """
                [{"id":"msg_1","subscriptionId":"wh_1","eventId":"evt_1","eventType":"job.status.changed",
                  "orderingKey":"job_1","payload":"{}","createdAt":"2025-03-01T10:00:00Z","status":"FAILED",
                  "roundAttempts":1,"attempts":[{"number":1,"at":"2025-03-01T10:00:01Z","outcome":"TIMEOUT",
                  "statusCode":0,"latency":"PT10S","responseBodyTruncated":false,"error":"timed out"}]}]""");

        List<WebhookDelivery> history = client.webhooks().history("wh_1");

        assertThat(history).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("FAILED");
            assertThat(d.attempts()).singleElement().satisfies(a -> {
                assertThat(a.outcome()).isEqualTo("TIMEOUT");
                assertThat(a.latency()).isEqualTo(Duration.ofSeconds(10));
            });
        });
        assertRequest("GET", "/api/plugin-core/webhooks/wh_1/history");
    }

    // ---- system -------------------------------------------------------------------------------------------

    @Test
    void healthIsReadAlsoWhenTheServerIsDown() {
        answer(503, """
                {"status":"DOWN","timestamp":"2025-03-01T10:00:00Z","store":{"status":"UP","durable":false},
                 "providers":{"akash":"offline"},"services":{"scheduler":"running"}}""");

        Health health = client.system().health();

        assertThat(health.isDown()).isTrue();
        assertThat(health.providers()).containsEntry("akash", ProviderStatus.OFFLINE);
        assertThat(health.services()).containsEntry("scheduler", ServiceState.RUNNING);
        assertThat(health.store()).containsEntry("durable", false);
        assertRequest("GET", "/api/health");
    }

    @Test
    void rateLimitsPermissionsAndMetricsAreRead() {
        answer(200, "{\"key\":\"key_1\",\"limit\":600,\"remaining\":598,\"resetSeconds\":42,\"windowSeconds\":60}");
        assertThat(client.system().rateLimits().limits()).contains(new RateLimits(600, 598, 42, 60));
        assertRequest("GET", "/api/system/rate-limits");

        wm.resetAll();
        answer(200, "{\"key\":\"key_1\",\"name\":\"ci\",\"scopes\":[\"read\",\"write\"]}");
        assertThat(client.system().permissions()).isEqualTo(new Permissions("key_1", "ci", Set.of("read", "write")));
        assertRequest("GET", "/api/users/me/permissions");

        wm.resetAll();
        answer(200, """
                {"timestamp":"2025-03-01T10:00:00Z","heap":{"usedBytes":1,"committedBytes":2,"maxBytes":3},
                 "nonHeap":{"usedBytes":4,"committedBytes":5,"maxBytes":-1},"cpu":{"availableProcessors":2},
                 "threads":{"live":30,"daemon":20,"peak":31},"uptimeSeconds":99,"jobsByState":{"pending":4},
                 "engine":{"submitted":10}}""");
        ResourceMetrics m = client.system().resourceMetrics();
        assertThat(m.heap()).isEqualTo(new ResourceMetrics.Memory(1, 2, 3));
        assertThat(m.threads().live()).isEqualTo(30);
        assertThat(m.jobsByState()).containsEntry(JobState.PENDING, 4L);
        assertRequest("GET", "/api/system/metrics/resources");
    }

    @Test
    void logsSendTheFilters() {
        OperatorLogRecord record = new OperatorLogRecord(7, FakeTime.T0, OperatorLogRecord.Level.WARN, "provider-auth",
                "akash", null, "AUTH_FAILED", "token refresh failed");
        answer(200, json(List.of(record)));

        assertThat(client.system().logs(LogQuery.all().withService("provider-auth").withProvider("akash")
                .withLevel("WARN").withSince(FakeTime.T0).withLimit(5))).containsExactly(record);

        assertRequest("GET", "/api/system/logs?service=provider-auth&provider=akash&level=WARN"
                + "&since=2025-03-01T10%3A00%3A00Z&limit=5");
    }

    @Test
    void servicesAreReadAndRestarted() {
        ServiceInfo info = new ServiceInfo("scheduler", "places jobs", ServiceState.RUNNING, FakeTime.T0, null, 3, 1, null);
        answer(200, json(info));

        assertThat(client.system().service("scheduler")).isEqualTo(info);
        assertRequest("GET", "/api/system/services/scheduler");
        wm.resetRequests();
        assertThat(client.system().restartService("scheduler")).isEqualTo(info);
        assertRequest("POST", "/api/system/services/scheduler/restart");
    }

    @Test
    void databaseEndpointsAreCalledUntyped() {
        answer(200, "{\"ok\":true}");

        assertThat(client.system().databaseStatus()).containsEntry("ok", true);
        assertRequest("GET", "/api/system/database/status");
        wm.resetRequests();
        client.system().databaseConnections();
        assertRequest("GET", "/api/system/database/connections");
        wm.resetRequests();
        client.system().slowQueries();
        assertRequest("GET", "/api/system/database/slow-queries");
        wm.resetRequests();
        client.system().updateDatabaseConfig(Map.of("maxConnections", 20));
        assertRequest("PUT", "/api/system/database/config");
        assertBody("{\"maxConnections\":20}");
    }

    // ---- encoding and headers -----------------------------------------------------------------------------

    @Test
    void idsAreEncodedAsOnePathSegment() {
        answer(200, SUBSCRIPTION);

        client.webhooks().get("a/b c");

        assertRequest("GET", "/api/plugin-core/webhooks/a%2Fb%20c");
    }

    @Test
    void aBaseUrlWithAPathPrefixKeepsIt() {
        answer(200, json(aJob()));
        client.close();
        client = CortexClient.builder().baseUrl(wm.baseUrl() + "/cortex/").apiKey(API_KEY).build();

        client.jobs().get(JOB_ID);

        assertRequest("GET", "/cortex/api/plugin-core/jobs/" + JOB_ID.value());
    }

    @Test
    void withoutAKeyNoAuthorizationHeaderIsSent() {
        answer(200, "{\"status\":\"UP\"}");
        client.close();
        client = CortexClient.builder().baseUrl(wm.baseUrl()).build();

        assertThat(client.system().health().isUp()).isTrue();

        wm.verify(requestMadeFor(r -> com.github.tomakehurst.wiremock.matching.MatchResult.exactMatch())
                .withHeader("Authorization", absent()).withHeader("User-Agent", equalTo("cortex-client")));
    }

    @Test
    void unknownFieldsInAnswersAreSkipped() {
        answer(200, json(AKASH_INFO).replaceFirst("}$", ",\"addedInAFutureVersion\":{\"x\":1}}"));

        assertThat(client.providers().get(AKASH)).isEqualTo(AKASH_INFO);
    }
}
