package io.cortex.server;

import static io.cortex.server.TestServer.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.server.TestServer.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bucket of 3 requests refilled over 60 s of the engine's (manual) clock: one request every 20 s. */
class RateLimitTest {
    private final TestServer t = new TestServer(b -> b.rateLimit(RateLimit.of(3, Duration.ofMinutes(1))));

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void everyResponseCarriesTheRateLimitHeaders() {
        Reply first = t.get(JOBS, t.reader);
        Reply second = t.get(JOBS + "/job_nosuchjob", t.reader);

        assertThat(first.header("RateLimit-Limit")).isEqualTo("3");
        assertThat(first.header("RateLimit-Remaining")).isEqualTo("2");
        assertThat(first.header("RateLimit-Reset")).isEqualTo("20");
        assertThat(second.status()).isEqualTo(404);
        assertThat(second.header("RateLimit-Remaining")).isEqualTo("1");
        assertThat(second.header("RateLimit-Reset")).isEqualTo("40");
    }

    @Test
    void aBurstBeyondTheLimitIs429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            assertThat(t.get(JOBS, t.reader).status()).isEqualTo(200);
        }

        Reply r = t.get(JOBS, t.reader);

        assertThat(r.status()).isEqualTo(429);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/rate-limited");
        assertThat(r.header("Retry-After")).isEqualTo("20");
        assertThat(r.json().get("retryAfterSeconds").asLong()).isEqualTo(20);
        assertThat(r.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(r.header("RateLimit-Reset")).isEqualTo("60");
    }

    @Test
    void aRefusedWriteDoesNothing() {
        for (int i = 0; i < 3; i++) {
            t.get(JOBS, t.writer);
        }

        Reply r = t.post(JOBS, t.writer, "{\"image\":\"acme/train:1\"}");

        assertThat(r.status()).isEqualTo(429);
        assertThat(t.cortex.jobs(io.cortex.core.store.JobQuery.all()).total()).isZero();
    }

    @Test
    void theBucketRefillsAsTheClockAdvances() {
        for (int i = 0; i < 4; i++) {
            t.get(JOBS, t.reader);
        }

        t.clock.advance(Duration.ofSeconds(19));
        Reply tooEarly = t.get(JOBS, t.reader);
        t.clock.advance(Duration.ofSeconds(1));
        Reply oneBack = t.get(JOBS, t.reader);
        t.clock.advance(Duration.ofMinutes(5));
        Reply full = t.get(JOBS, t.reader);

        assertThat(tooEarly.status()).isEqualTo(429);
        assertThat(tooEarly.header("Retry-After")).isEqualTo("1");
        assertThat(oneBack.status()).isEqualTo(200);
        assertThat(oneBack.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.header("RateLimit-Remaining")).isEqualTo("2");
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        for (int i = 0; i < 4; i++) {
            t.get(JOBS, t.reader);
        }

        assertThat(t.get(JOBS, t.reader).status()).isEqualTo(429);
        assertThat(t.get(JOBS, t.admin).status()).isEqualTo(200);
    }

    @Test
    void rateLimitsReportTheCallersBucket() {
        t.get(JOBS, t.reader);

        Reply r = t.get("/api/system/rate-limits", t.reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("key").asText()).isEqualTo(t.reader.id());
        assertThat(r.json().get("limit").asLong()).isEqualTo(3);
        assertThat(r.json().get("remaining").asLong()).isEqualTo(1);
        assertThat(r.json().get("resetSeconds").asLong()).isEqualTo(40);
        assertThat(r.json().get("windowSeconds").asLong()).isEqualTo(60);
    }

    @Test
    void healthIsNotRateLimited() {
        for (int i = 0; i < 5; i++) {
            Reply r = t.get("/api/health", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("RateLimit-Limit")).isNull();
        }
    }

    @Test
    void anUnlimitedServerSendsNoRateLimitHeaders() {
        try (TestServer free = new TestServer(b -> b.rateLimit(RateLimit.unlimited()))) {
            Reply r = free.get(JOBS, free.reader);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("RateLimit-Limit")).isNull();
            assertThat(free.get("/api/system/rate-limits", free.reader).json().get("unlimited").asBoolean()).isTrue();
        }
    }
}
