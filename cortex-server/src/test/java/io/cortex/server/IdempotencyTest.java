package io.cortex.server;

import static io.cortex.server.TestServer.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.store.JobQuery;
import io.cortex.server.TestServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdempotencyTest {
    private static final String KEY = "Idempotency-Key";
    private static final String SPEC = "{\"image\":\"acme/train:1\",\"resources\":{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"10Gi\"}}";
    private static final String SAME_SPEC_REORDERED =
            "{ \"resources\": {\"storage\":\"10Gi\", \"memory\":\"1Gi\", \"cpu\":1000}, \"image\": \"acme/train:1\" }";

    private TestServer t = new TestServer();

    @AfterEach
    void close() {
        t.close();
    }

    private long jobCount() {
        return t.cortex.jobs(JobQuery.all()).total();
    }

    @Test
    void theSameKeyAndBodyTwiceMakeOneJob() {
        Reply first = t.post(JOBS, t.writer, SPEC, KEY, "order-7");
        Reply second = t.post(JOBS, t.writer, SPEC, KEY, "order-7");

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(jobCount()).isEqualTo(1);
    }

    @Test
    void memberOrderAndSpacingDoNotMakeAnotherBody() {
        Reply first = t.post(JOBS, t.writer, SPEC, KEY, "order-8");
        Reply second = t.post(JOBS, t.writer, SAME_SPEC_REORDERED, KEY, "order-8");

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndMakesNoSecondJob() {
        t.post(JOBS, t.writer, SPEC, KEY, "order-9");

        Reply r = t.post(JOBS, t.writer, "{\"image\":\"acme/train:2\"}", KEY, "order-9");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/idempotency-mismatch");
        assertThat(r.firstError()).isEqualTo("Idempotency-Key/same-body");
        assertThat(jobCount()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithOneKeyMakeExactlyOneJob() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return t.post(JOBS, t.writer, SPEC, KEY, "burst-1");
                }));
            }
            go.countDown();
            List<Reply> done = new ArrayList<>();
            for (Future<Reply> f : replies) {
                done.add(f.get(30, TimeUnit.SECONDS));
            }

            assertThat(done).extracting(Reply::status).containsOnly(200, 201);
            assertThat(done).filteredOn(r -> r.status() == 201).hasSize(1);
            assertThat(done).extracting(r -> r.json().get("id").asText()).containsOnly(done.get(0).json().get("id").asText());
            assertThat(jobCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysBelongToTheApiKeyThatSentThem() {
        Reply writer = t.post(JOBS, t.writer, SPEC, KEY, "shared");
        Reply admin = t.post(JOBS, t.admin, SPEC, KEY, "shared");

        assertThat(writer.status()).isEqualTo(201);
        assertThat(admin.status()).isEqualTo(201);
        assertThat(admin.json().get("id").asText()).isNotEqualTo(writer.json().get("id").asText());
    }

    @Test
    void aKeyIsForgottenAfterItsMaxAge() {
        t.close();
        t = new TestServer(b -> b.rateLimit(RateLimit.unlimited()).idempotency(100, Duration.ofHours(1)));
        Reply first = t.post(JOBS, t.writer, SPEC, KEY, "nightly");
        t.clock.advance(Duration.ofMinutes(59));
        Reply within = t.post(JOBS, t.writer, SPEC, KEY, "nightly");
        t.clock.advance(Duration.ofMinutes(2));

        Reply after = t.post(JOBS, t.writer, SPEC, KEY, "nightly");

        assertThat(within.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(after.status()).isEqualTo(201);
        assertThat(after.json().get("id").asText()).isNotEqualTo(first.json().get("id").asText());
    }

    @Test
    void theOldestKeyIsForgottenBeyondTheCount() {
        t.close();
        t = new TestServer(b -> b.rateLimit(RateLimit.unlimited()).idempotency(2, Duration.ofHours(1)));
        String a = t.post(JOBS, t.writer, SPEC, KEY, "a").json().get("id").asText();
        t.post(JOBS, t.writer, SPEC, KEY, "b");
        t.post(JOBS, t.writer, SPEC, KEY, "c");

        Reply againA = t.post(JOBS, t.writer, SPEC, KEY, "a");
        Reply againC = t.post(JOBS, t.writer, SPEC, KEY, "c");

        assertThat(againA.status()).isEqualTo(201);
        assertThat(againA.json().get("id").asText()).isNotEqualTo(a);
        assertThat(againC.status()).isEqualTo(200);
    }

    @Test
    void aMalformedKeyIs400() {
        Reply r = t.post(JOBS, t.writer, SPEC, KEY, "x".repeat(256));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstError()).isEqualTo("Idempotency-Key/format");
        assertThat(jobCount()).isZero();
    }

    @Test
    void anInvalidBodyDoesNotUseUpTheKey() {
        Reply bad = t.post(JOBS, t.writer, "{\"image\":\"acme/train:1\",\"colour\":1}", KEY, "retry-me");
        Reply good = t.post(JOBS, t.writer, SPEC, KEY, "retry-me");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(good.status()).isEqualTo(201);
        assertThat(jobCount()).isEqualTo(1);
    }
}
