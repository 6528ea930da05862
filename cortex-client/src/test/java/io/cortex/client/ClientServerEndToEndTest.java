package io.cortex.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cortex.core.diagnostics.Diagnosis;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderInfo;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.WalletBalance;
import io.cortex.core.service.ServiceInfo;
import io.cortex.core.service.ServiceState;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.Page;
import io.cortex.server.RateLimit;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against the real {@code CortexServer} over a manual engine on an ephemeral loopback port:
 * every endpoint through the typed methods, the server's errors as typed exceptions, its rate limit
 * honoured, and an idempotent submit whose answer is lost creating exactly one job.
 */
class ClientServerEndToEndTest {
    private static final ProviderId ALPHA = ProviderId.of("alpha");
    private static final ProviderId BETA = ProviderId.of("beta");
    private static final ProviderId GAMMA = ProviderId.of("gamma");

    private RealServer t = new RealServer();

    @AfterEach
    void close() {
        t.close();
    }

    private static JobSpec spec(String image) {
        return JobSpec.builder().image(image).command("run").resources(500, "256Mi", "1Gi").label("team", "ml").build();
    }

    // ---- jobs -------------------------------------------------------------------------------------------------

    @Test
    void jobEndpointsCarryAJobThroughItsLife() {
        CortexClient writer = t.client(t.writer);

        Job submitted = writer.jobs().submit(spec("acme/chatty:1"));

        assertThat(submitted.state()).isEqualTo(JobState.ASSIGNED);
        assertThat(submitted.provider()).isPresent();
        assertThat(writer.jobs().get(submitted.id()).version()).isEqualTo(submitted.version());
        assertThat(writer.jobs().list(JobQuery.all().withLabel("team", "ml")).items()).extracting(Job::id)
                .containsExactly(submitted.id());
        assertThat(writer.jobs().list(JobQuery.inStates(JobState.RUNNING)).total()).isZero();
        assertThat(writer.jobs().events(submitted.id())).extracting(JobEvent::type)
                .startsWith(JobEvent.Type.SUBMITTED);

        t.advance(Duration.ofSeconds(30));
        assertThat(writer.jobs().get(submitted.id()).state()).isEqualTo(JobState.RUNNING);
        List<LogLine> lines = writer.jobs().logs(submitted.id());
        assertThat(lines).extracting(LogLine::text).endsWith("loading model", "epoch 1");
        assertThat(writer.jobs().logs(submitted.id(), lines.get(0).sequence(), 1)).containsExactly(lines.get(1));
        ConflictException notPending = catchThrowableOfType(ConflictException.class,
                () -> writer.jobs().updateResources(submitted.id(), Resources.of(1000, "1Gi", "10Gi")));
        assertThat(notPending.status()).isEqualTo(409);
        assertThat(notPending.attempts()).isEqualTo(1);

        t.advance(Duration.ofSeconds(60));
        Page<Job> succeeded = writer.jobs().list(JobQuery.inStates(JobState.SUCCEEDED));
        assertThat(succeeded.items()).extracting(Job::id).containsExactly(submitted.id());
        Diagnosis diagnosis = writer.jobs().diagnose(submitted.id());
        assertThat(diagnosis.jobId()).isEqualTo(submitted.id());
        assertThat(diagnosis.state()).isEqualTo(JobState.SUCCEEDED);
        ConflictException finished = catchThrowableOfType(ConflictException.class,
                () -> writer.jobs().cancel(submitted.id()));
        assertThat(finished.problem()).hasValueSatisfying(p -> assertThat(p.typeSuffix()).isEqualTo("conflict"));
    }

    @Test
    void aPendingJobCanBeResizedDiagnosedAndCancelled() {
        CortexClient writer = t.client(t.writer);
        // only the offline provider may run it: it waits
        Job waiting = writer.jobs().submit(JobSpec.builder().image("acme/train:1").allowProviders("gamma").build());
        assertThat(waiting.state()).isEqualTo(JobState.PENDING);

        Job resized = writer.jobs().updateResources(waiting.id(), Resources.of(1000, "1Gi", "10Gi"));
        Diagnosis why = writer.jobs().diagnose(waiting.id());
        Job cancelled = writer.jobs().cancel(waiting.id());

        assertThat(resized.spec().resources()).isEqualTo(Resources.of(1000, "1Gi", "10Gi"));
        assertThat(why.findings()).isNotEmpty();
        assertThat(why.summary()).isNotBlank();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        // cancelling again is harmless: the server answers the cancelled job
        assertThat(writer.jobs().cancel(waiting.id()).version()).isEqualTo(cancelled.version());
    }

    @Test
    void resubmitSendsAFailedJobToTheNamedProvider() {
        CortexClient writer = t.client(t.writer);
        Job job = writer.jobs().submit(JobSpec.builder().image("acme/broken:1").maxAttempts(1).build());
        t.advance(Duration.ofSeconds(30));
        t.advance(Duration.ofSeconds(60));
        assertThat(writer.jobs().get(job.id()).state()).isEqualTo(JobState.FAILED);

        Job again = writer.jobs().resubmit(job.id(), BETA);

        assertThat(again.state()).isEqualTo(JobState.ASSIGNED);
        assertThat(again.provider()).contains(BETA);
        t.advance(Duration.ofSeconds(30));
        assertThat(writer.jobs().get(job.id()).state()).isEqualTo(JobState.RUNNING);
        assertThat(catchThrowableOfType(ConflictException.class, () -> writer.jobs().resubmit(job.id())).status())
                .isEqualTo(409);
    }

    // ---- providers --------------------------------------------------------------------------------------------

    @Test
    void providerEndpointsReadAndChangeTheProviders() {
        CortexClient admin = t.client(t.admin);

        assertThat(admin.providers().list()).extracting(ProviderInfo::id).containsExactlyInAnyOrder(ALPHA, BETA, GAMMA);
        assertThat(admin.providers().get(ALPHA).abilities()).contains("wallet");
        assertThat(admin.providers().status(GAMMA).status()).isEqualTo(ProviderStatus.OFFLINE);
        assertThat(admin.providers().capabilities(ALPHA).pricePerHour()).isEqualByComparingTo("0.10");
        WalletBalance wallet = admin.providers().wallet(ALPHA);
        assertThat(wallet.amount()).isEqualByComparingTo("50");
        assertThat(wallet.currency()).isEqualTo("USDC");
        assertThat(admin.providers().topUp(ALPHA, new BigDecimal("10.5")).amount()).isEqualByComparingTo("60.5");
        assertThat(admin.providers().refreshAuth(ALPHA).id()).isEqualTo(ALPHA);

        admin.providers().updateCredentials(ALPHA, Credentials.of(Map.of("apiKey", "new-key", "secret", "new-secret")));
        assertThat(t.alpha.credentials().get("apiKey")).contains("new-key");

        assertThat(admin.providers().endpoints(ALPHA)).containsExactly(URI.create("https://inmemory.invalid"));
        admin.providers().updateEndpoints(ALPHA, List.of(URI.create("https://a.example"), URI.create("https://b.example")));
        assertThat(admin.providers().endpoints(ALPHA)).containsExactly(URI.create("https://a.example"),
                URI.create("https://b.example"));
        assertThat(admin.providers().endpoints(GAMMA)).isEmpty();

        ServerException noWallet = catchThrowableOfType(ServerException.class, () -> admin.providers().wallet(GAMMA));
        assertThat(noWallet.status()).isEqualTo(501);
        assertThat(noWallet.problem()).hasValueSatisfying(p -> assertThat(p.typeSuffix()).isEqualTo("unsupported"));
        assertThat(noWallet.attempts()).isEqualTo(1);
    }

    // ---- webhooks ---------------------------------------------------------------------------------------------

    @Test
    void webhookEndpointsManageSubscriptionsAndShowTheirDeliveries() {
        CortexClient admin = t.client(t.admin);

        WebhookSubscription created = admin.webhooks().create(NewWebhook.of(t.hookUrl, "job.status.changed")
                .withTimeout(Duration.ofSeconds(5)).withDescription("ops pager"));
        assertThat(created.signingSecret()).hasValueSatisfying(s -> assertThat(s).startsWith("whsec_"));
        assertThat(created.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(created.secretFingerprints()).hasSize(1);

        assertThat(admin.webhooks().list()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(created.id());
            assertThat(s.signingSecret()).isEmpty();
        });
        assertThat(admin.webhooks().get(created.id()).description()).isEqualTo("ops pager");

        t.client(t.writer).jobs().submit(spec("acme/train:1"));
        List<WebhookDelivery> history = admin.webhooks().history(created.id());
        assertThat(history).isNotEmpty().allSatisfy(d -> {
            assertThat(d.subscriptionId()).isEqualTo(created.id());
            assertThat(d.eventType()).isEqualTo("job.status.changed");
            assertThat(d.id()).startsWith("msg_");
        });

        WebhookSubscription updated = admin.webhooks().update(created.id(),
                WebhookUpdate.none().withEnabled(false).withTimeout(Duration.ofSeconds(7)));
        assertThat(updated.enabled()).isFalse();
        assertThat(updated.timeout()).isEqualTo(Duration.ofSeconds(7));

        admin.webhooks().delete(created.id());
        assertThat(catchThrowableOfType(ResourceNotFoundException.class, () -> admin.webhooks().get(created.id()))
                .requestId()).isPresent();
    }

    // ---- system -----------------------------------------------------------------------------------------------

    @Test
    void systemEndpointsAnswerTheOperatorGuidesQuestions() {
        CortexClient admin = t.client(t.admin);
        CortexClient reader = t.client(t.reader);

        Health health = t.client(null).system().health();
        assertThat(health.status()).isEqualTo("DEGRADED");
        assertThat(health.providers()).containsEntry("gamma", ProviderStatus.OFFLINE)
                .containsEntry("alpha", ProviderStatus.ONLINE);
        assertThat(health.store()).containsEntry("status", "UP");

        RateLimitStatus limits = reader.system().rateLimits();
        assertThat(limits.key()).isEqualTo(t.reader.id());
        assertThat(limits.limits()).hasValueSatisfying(l -> assertThat(l.limit()).isEqualTo(100_000));

        Permissions permissions = reader.system().permissions();
        assertThat(permissions.key()).isEqualTo(t.reader.id());
        assertThat(permissions.scopes()).containsExactly("read");

        assertThat(admin.system().logs(LogQuery.all().withLimit(50))).isNotNull();
        ServiceInfo scheduler = admin.system().service("scheduler");
        assertThat(scheduler.name()).isEqualTo("scheduler");
        assertThat(admin.system().restartService("scheduler").state()).isEqualTo(ServiceState.RUNNING);

        t.client(t.writer).jobs().submit(spec("acme/train:1"));
        ResourceMetrics metrics = admin.system().resourceMetrics();
        assertThat(metrics.heap().usedBytes()).isPositive();
        assertThat(metrics.threads().live()).isPositive();
        assertThat(metrics.jobsByState()).containsEntry(JobState.ASSIGNED, 1L);
        assertThat(metrics.engine()).containsKey("submitted");

        for (Runnable databaseCall : List.<Runnable>of(() -> admin.system().databaseStatus(),
                () -> admin.system().databaseConnections(), () -> admin.system().slowQueries(),
                () -> admin.system().updateDatabaseConfig(Map.of("maxConnections", 10)))) {
            ServerException e = catchThrowableOfType(ServerException.class, databaseCall::run);
            assertThat(e.status()).isEqualTo(501);
            assertThat(e.getMessage()).contains("durable store");
        }
    }

    // ---- errors -----------------------------------------------------------------------------------------------

    @Test
    void theServersErrorsBecomeTypedExceptions() {
        CortexClient reader = t.client(t.reader);
        CortexClient writer = t.client(t.writer);

        ResourceNotFoundException unknown = catchThrowableOfType(ResourceNotFoundException.class,
                () -> reader.jobs().get(JobId.of("job_doesnotexist")));
        assertThat(unknown.requestId()).isPresent();
        assertThat(unknown.getMessage()).contains("job_doesnotexist").contains(unknown.requestId().get());

        assertThat(catchThrowableOfType(AuthenticationException.class, () -> t.client(null).jobs().list()).status())
                .isEqualTo(401);
        CortexClient forged = t.client(t.server.uri(), null, b -> b.apiKey("ck_forged_key_value"));
        AuthenticationException badKey = catchThrowableOfType(AuthenticationException.class, () -> forged.jobs().list());
        assertThat(badKey.getMessage()).doesNotContain("ck_forged_key_value");

        PermissionDeniedException readOnly = catchThrowableOfType(PermissionDeniedException.class,
                () -> reader.jobs().submit(spec("acme/train:1")));
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(readOnly.getMessage()).doesNotContain(t.reader.token());

        Job job = writer.jobs().submit(spec("acme/train:1"));
        ValidationException tooMany = catchThrowableOfType(ValidationException.class,
                () -> writer.jobs().logs(job.id(), -1, 20_000));
        assertThat(tooMany.fieldErrors()).extracting(FieldError::field).containsExactly("limit");

        writer.jobs().submit(spec("acme/train:1"), "order-1");
        ConflictException reused = catchThrowableOfType(ConflictException.class,
                () -> writer.jobs().submit(spec("acme/other:1"), "order-1"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.problem()).hasValueSatisfying(p -> assertThat(p.typeSuffix()).isEqualTo("idempotency-mismatch"));
    }

    @Test
    void aRepeatedSubmitWithTheSameKeyReturnsTheSameJob() {
        CortexClient writer = t.client(t.writer);

        Job first = writer.jobs().submit(spec("acme/train:1"), "order-2");
        Job again = writer.jobs().submit(spec("acme/train:1"), "order-2");

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(t.cortex.jobs(JobQuery.all()).total()).isEqualTo(1);
    }

    // ---- retries against the real server ----------------------------------------------------------------------

    @Test
    void aRateLimitedCallWaitsTheServersRetryAfterAndThenSucceeds() {
        t.close();
        t = new RealServer(RateLimit.of(2, Duration.ofMinutes(1)));
        List<RetryEvent> retries = new CopyOnWriteArrayList<>();
        CortexClient reader = t.client(t.server.uri(), t.reader, b -> b.retryListener(retries::add));

        reader.jobs().list();
        reader.jobs().list();
        Page<Job> third = reader.jobs().list();

        assertThat(third.items()).isEmpty();
        assertThat(retries).singleElement().satisfies(r -> {
            assertThat(r.failure()).isInstanceOf(RateLimitedException.class);
            RateLimitedException limited = (RateLimitedException) r.failure();
            assertThat(limited.retryAfter()).contains(r.delay());
            assertThat(limited.rateLimits()).hasValueSatisfying(l -> assertThat(l.remaining()).isZero());
        });
        // one token per 30 s: the server asked for at most that, and the client waited exactly what it asked
        assertThat(t.sleeps).singleElement().satisfies(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30)));
        assertThat(t.sleeps).containsExactly(retries.get(0).delay());
    }

    @Test
    void anIdempotentSubmitWhoseAnswerIsLostCreatesExactlyOneJob() throws Exception {
        List<RetryEvent> retries = new CopyOnWriteArrayList<>();
        try (DroppingProxy proxy = new DroppingProxy(t.server.uri(), 1)) {
            CortexClient writer = t.client(proxy.uri(), t.writer, b -> b.retryListener(retries::add));

            Job job = writer.jobs().submit(spec("acme/train:1"));

            assertThat(proxy.dropped()).isEqualTo(1);
            assertThat(proxy.connections()).isEqualTo(2);
            assertThat(retries).singleElement().satisfies(r -> {
                assertThat(r.failure()).isInstanceOf(CortexIoException.class);
                assertThat(r.idempotencyKey()).isNotBlank();
            });
            Page<Job> all = t.cortex.jobs(JobQuery.all());
            assertThat(all.total()).isEqualTo(1);
            assertThat(all.items().get(0).id()).isEqualTo(job.id());
        }
    }

    @Test
    void aPostWithoutKeyWhoseAnswerIsLostIsNotRepeated() throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(t.server.uri(), 1)) {
            CortexClient admin = t.client(proxy.uri(), t.admin, b -> { });

            CortexIoException lost = catchThrowableOfType(CortexIoException.class,
                    () -> admin.providers().topUp(ALPHA, BigDecimal.TEN));

            assertThat(lost.attempts()).isEqualTo(1);
            assertThat(proxy.connections()).isEqualTo(1);
            assertThat(t.alpha.balance().amount()).isEqualByComparingTo("60"); // paid once
        }
    }

    @Test
    void asyncCallsWorkAgainstTheRealServer() {
        CortexClient writer = t.client(t.writer);

        Job job = writer.jobs().submitAsync(spec("acme/train:1"))
                .thenCompose(j -> writer.jobs().getAsync(j.id()))
                .orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(job.state()).isEqualTo(JobState.ASSIGNED);
        assertThat(writer.providers().listAsync().orTimeout(30, TimeUnit.SECONDS).join()).hasSize(3);
    }
}
