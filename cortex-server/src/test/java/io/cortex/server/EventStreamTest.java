package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cortex.core.event.EventTypes;
import io.cortex.core.job.JobSpec;
import io.cortex.core.json.CortexJson;
import io.cortex.server.SseStream.Message;
import io.cortex.server.TestServer.Reply;
import io.cortex.webhooks.WebhookSecret;
import io.cortex.webhooks.WebhookSubscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /api/plugin-core/events} over real loopback HTTP, with a manual engine and clock. */
class EventStreamTest {
    private static final String EVENTS = "/api/plugin-core/events";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestServer t = new TestServer();
    private final List<SseStream> streams = new ArrayList<>();
    private HttpServer receiver;

    @AfterEach
    void close() {
        streams.forEach(SseStream::close);
        t.close();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private void server(Consumer<CortexServer.Builder> options) {
        t.close();
        t = new TestServer(b -> {
            b.rateLimit(RateLimit.unlimited());
            options.accept(b);
        });
    }

    private SseStream open(String query, GeneratedApiKey key, String... headers) {
        SseStream s = SseStream.open(t.http, URI.create(t.server.uri() + EVENTS + query), key, headers);
        streams.add(s);
        return s;
    }

    private SseStream stalled(String query) {
        SseStream s = SseStream.stalled(t.server.uri(), EVENTS + query, t.reader);
        streams.add(s);
        return s;
    }

    private static JsonNode json(String data) {
        try {
            return CortexJson.mapper().readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jobOf(Message m) {
        return m.isComment() || m.data() == null ? "" : json(m.data()).at("/data/job/id").asText();
    }

    private static String stateOf(Message m) {
        return json(m.data()).at("/data/job/state").asText();
    }

    /** Messages (comments skipped) up to and including the first that {@code last} accepts. */
    private static List<Message> until(SseStream s, Predicate<Message> last) {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Message m = s.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!m.isComment()) {
                out.add(m);
                if (last.test(m)) {
                    return out;
                }
            }
        }
    }

    private static Predicate<Message> is(String job, String state) {
        return m -> !m.isComment() && EventTypes.JOB_STATUS_CHANGED.equals(m.event()) && job.equals(jobOf(m))
                && state.equals(stateOf(m));
    }

    /** A loopback webhook receiver: {@code /hook} answers 204, {@code /gone} 410; keeps bodies by event id. */
    private Map<String, String> startReceiver() throws IOException {
        Map<String, String> bodies = new ConcurrentHashMap<>();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.put(json(body).at("/data/eventId").asText(), body);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/gone") ? 410 : 204, -1);
            exchange.close();
        });
        receiver.start();
        return bodies;
    }

    private void subscribe(String path, String... types) {
        t.subscriptions.create(WebhookSubscription.builder()
                .url("http://127.0.0.1:" + receiver.getAddress().getPort() + path).eventTypes(types)
                .secrets(WebhookSecret.generate()).allowPlainHttp(true).allowPrivateAddresses(true).build());
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void eventsArriveInOrderEachCarryingExactlyItsWebhookBody() throws IOException {
        Map<String, String> webhooks = startReceiver();
        subscribe("/hook", EventTypes.JOB_STATUS_CHANGED, EventTypes.JOB_UPDATED, EventTypes.PROVIDER_STATUS_CHANGED);
        SseStream s = open("", t.reader);
        assertThat(s.status).isEqualTo(200);
        assertThat(s.contentType).startsWith("text/event-stream");

        String job = t.submit("{\"image\":\"acme/train:1\"}");
        t.advance(Duration.ofSeconds(30));
        t.advance(Duration.ofSeconds(60));

        List<Message> events = until(s, is(job, "succeeded"));
        assertThat(events).extracting(Message::idNumber).isSorted().doesNotHaveDuplicates();
        assertThat(events.get(events.size() - 1).idNumber() - events.get(0).idNumber()).isEqualTo(events.size() - 1);
        assertThat(events).allSatisfy(m -> {
            assertThat(json(m.data()).get("type").asText()).isEqualTo(m.event());
            assertThat(m.data()).doesNotContain("\n");
        });
        List<Message> ofJob = events.stream().filter(m -> job.equals(jobOf(m))).toList();
        assertThat(ofJob.get(0).event()).isEqualTo(EventTypes.JOB_UPDATED);
        assertThat(ofJob).filteredOn(m -> m.event().equals(EventTypes.JOB_STATUS_CHANGED)).extracting(EventStreamTest::stateOf)
                .containsExactly("assigned", "running", "succeeded");
        // exactly the body the webhook delivery of the same event carried
        await().atMost(WAIT).until(() -> webhooks.size() >= events.size());
        assertThat(events).allSatisfy(m -> assertThat(m.data())
                .isEqualTo(webhooks.get(json(m.data()).at("/data/eventId").asText())));
    }

    @Test
    void typesAndJobIdFilterEachClientsStream() {
        server(b -> b.eventKeepAlive(Duration.ofMillis(100)));
        String job1 = t.submit("{\"image\":\"acme/train:1\"}");
        String job2 = t.submit("{\"image\":\"acme/train:1\"}");
        SseStream all = open("", t.reader);
        SseStream statusOnly = open("?types=job.status.changed", t.reader);
        SseStream second = open("?jobId=" + job2, t.reader);
        SseStream both = open("?types=provider.status.changed,job.updated&types=job.status.changed&jobId=" + job1, t.reader);
        SseStream updates = open("?types=job.updated", t.reader);

        String job3 = t.submit("{\"image\":\"acme/train:1\"}");
        t.advance(Duration.ofSeconds(30));
        t.advance(Duration.ofSeconds(60));
        String sentinel = t.submit("{\"image\":\"acme/train:1\"}");
        t.post("/api/plugin-core/jobs/" + sentinel + "/cancel", t.writer, null);

        List<Message> everything = until(all, is(sentinel, "cancelled"));
        assertThat(everything).extracting(EventStreamTest::jobOf).contains(job1, job2, job3);
        assertFiltered(statusOnly, everything, m -> m.event().equals(EventTypes.JOB_STATUS_CHANGED));
        assertFiltered(second, everything, m -> jobOf(m).equals(job2));
        assertFiltered(both, everything, m -> jobOf(m).equals(job1));
        assertFiltered(updates, everything, m -> m.event().equals(EventTypes.JOB_UPDATED));
    }

    /**
     * The stream got exactly the messages of {@code everything} that {@code filter} keeps, and nothing
     * else: everything was published before, so an extra message would come before the keep-alive.
     */
    private static void assertFiltered(SseStream s, List<Message> everything, Predicate<Message> filter) {
        List<Message> expected = everything.stream().filter(filter).toList();
        assertThat(expected).isNotEmpty().hasSizeLessThan(everything.size());
        assertThat(s.events(expected.size(), WAIT)).isEqualTo(expected);
        Message next = s.next(WAIT);
        assertThat(next.comment()).as("after the expected messages: %s", next).isEqualTo("keep-alive");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?types=job.bogus | | types/format | 'job.bogus' is not an event type",
            "?types=job.updated,Job.Updated | | types/format | known types: job.status.changed, job.updated",
            "?jobId=nope | | jobId/format | jobId 'nope'",
            "?lastEventId=-3 | | lastEventId/format | not an event id",
            " | abc | Last-Event-ID/format | Last-Event-ID 'abc'"})
    void badInputIsAProblemNamingTheParameter(String query, String lastEventId, String error, String detail) {
        Reply r = lastEventId == null ? t.get(EVENTS + (query == null ? "" : query), t.reader)
                : t.send("GET", EVENTS, t.reader, null, "Last-Event-ID", lastEventId);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.firstError()).isEqualTo(error);
        assertThat(r.json().get("detail").asText()).contains(detail);
        if (error.startsWith("types")) {
            assertThat(r.json().get("known")).hasSize(EventTypes.ALL.size());
        }
    }

    @Test
    void aReadKeyMayListenAndNoKeyIsUnauthorized() {
        Reply none = t.get(EVENTS, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(t.send("GET", EVENTS, null, null, "Authorization", "Bearer ctx_nope_nope").status()).isEqualTo(401);

        SseStream s = open("", t.reader);
        assertThat(s.status).isEqualTo(200);
        String job = submitAndCancel();
        assertThat(until(s, is(job, "cancelled"))).extracting(Message::event).contains(EventTypes.JOB_UPDATED);
    }

    /** Submits a job and cancels it over HTTP: its cancellation is the last event of the step. */
    private String submitAndCancel() {
        String job = t.submit("{\"image\":\"acme/train:1\"}");
        assertThat(t.post("/api/plugin-core/jobs/" + job + "/cancel", t.writer, null).status()).isEqualTo(200);
        return job;
    }

    @Test
    void aClientThatReconnectsWithItsLastEventIdMissesNothingWithinTheWindow() {
        SseStream watcher = open("", t.reader);
        SseStream first = open("", t.reader);
        String a = submitAndCancel();
        List<Message> seen = until(first, is(a, "cancelled"));
        assertThat(until(watcher, is(a, "cancelled"))).isEqualTo(seen);
        first.close();
        String last = seen.get(seen.size() - 1).id();

        t.submit("{\"image\":\"acme/train:1\"}");                       // while it is away
        t.advance(Duration.ofSeconds(30));
        String b = submitAndCancel();
        List<Message> missed = until(watcher, is(b, "cancelled"));
        assertThat(missed).hasSizeGreaterThan(4);

        SseStream byHeader = open("", t.reader, "Last-Event-ID", last);
        SseStream byQuery = open("?lastEventId=" + last, t.reader);
        assertThat(until(byHeader, is(b, "cancelled"))).isEqualTo(missed);
        assertThat(until(byQuery, is(b, "cancelled"))).isEqualTo(missed);

        // then it goes on live
        String c = submitAndCancel();
        List<Message> live = until(watcher, is(c, "cancelled"));
        assertThat(until(byHeader, is(c, "cancelled"))).isEqualTo(live);
        assertThat(until(byQuery, is(c, "cancelled"))).isEqualTo(live);
    }

    @Test
    void resumingFromOutsideTheWindowFirstSaysWhatWasLost() {
        int window = 8;
        server(b -> b.eventReplayWindow(window));
        SseStream watcher = open("", t.reader);
        List<Message> all = new ArrayList<>();
        String job = null;
        for (int i = 0; i < 5; i++) {
            job = submitAndCancel();
            all.addAll(until(watcher, is(job, "cancelled")));  // caught up before the next, so it never leaves the window
        }
        String lastJob = job;
        assertThat(all).hasSizeGreaterThanOrEqualTo(2 * window).noneMatch(m -> m.id() == null);
        int n = all.size();
        long first = all.get(0).idNumber();
        long oldestKept = all.get(n - window).idNumber();
        List<Message> kept = all.subList(n - window, n);

        SseStream late = open("?lastEventId=" + first, t.reader);

        Message gap = late.next(WAIT);
        assertThat(gap.event()).isEqualTo("cortex.replay.gap");
        assertThat(gap.id()).isNull();
        assertThat(gap.data()).isEqualTo("{\"lastEventId\":" + first + ",\"oldestAvailable\":" + oldestKept + "}");
        assertThat(until(late, is(lastJob, "cancelled"))).isEqualTo(kept);

        SseStream justInside = open("?lastEventId=" + all.get(n - window - 1).id(), t.reader);
        assertThat(until(justInside, is(lastJob, "cancelled"))).isEqualTo(kept);

        // an id from before a restart (a new server starts its ids higher) is outside the window too
        SseStream afterRestart = open("", t.reader, "Last-Event-ID", "17");
        assertThat(afterRestart.next(WAIT).data()).isEqualTo("{\"lastEventId\":17,\"oldestAvailable\":" + oldestKept + "}");
        assertThat(until(afterRestart, is(lastJob, "cancelled"))).isEqualTo(kept);
    }

    /** Submits {@code jobs} jobs straight to the engine, then one it cancels: its cancellation is the last event. */
    private String burst(int jobs) {
        for (int i = 0; i < jobs; i++) {
            t.cortex.submit(JobSpec.builder().image("acme/train:1").label("batch", "burst-" + i).build());
        }
        io.cortex.core.job.JobId last = t.cortex.submit(JobSpec.builder().image("acme/train:1").build()).id();
        t.cortex.cancel(last);
        return last.value();
    }

    @Test
    void aStalledClientStopsNeitherTheEngineNorAnotherClient() {
        SseStream stuck = stalled("");
        SseStream fast = open("", t.reader);
        await().atMost(WAIT).until(() -> t.server.eventStreamClients() == 2);

        // ~9,000 events, ~13 MB: far more than the stalled client's socket buffers hold
        String sentinel = assertTimeoutPreemptively(WAIT, () -> burst(3_000),
                "the engine waited for a client that stopped reading");
        List<Message> received = until(fast, is(sentinel, "cancelled"));
        assertThat(received).hasSizeGreaterThan(6_000);
        assertThat(received.get(received.size() - 1).idNumber() - received.get(0).idNumber())
                .isEqualTo(received.size() - 1);

        // once it reads again, the stalled client gets everything too (the window holds 10,000)
        stuck.startReading();
        assertThat(until(stuck, is(sentinel, "cancelled"))).isEqualTo(received);
    }

    @Test
    void aClientThatFallsBehindPastTheWindowGetsTheGapMessageAndGoesOn() {
        server(b -> b.eventReplayWindow(100));
        SseStream stuck = stalled("");
        await().atMost(WAIT).until(() -> t.server.eventStreamClients() == 1);
        String sentinel = burst(3_000);

        stuck.startReading();
        List<Message> read = until(stuck, is(sentinel, "cancelled"));

        assertThat(read).filteredOn(m -> m.event().equals("cortex.replay.gap")).isNotEmpty();
        for (int i = 1; i < read.size(); i++) {
            Message m = read.get(i);
            Message before = read.get(i - 1);
            if (m.event().equals("cortex.replay.gap")) {
                JsonNode g = json(m.data());
                assertThat(g.get("lastEventId").asLong()).isEqualTo(before.idNumber());
                assertThat(g.get("oldestAvailable").asLong()).isGreaterThan(before.idNumber() + 1);
                assertThat(read.get(i + 1).idNumber()).isEqualTo(g.get("oldestAvailable").asLong());
            } else if (!before.event().equals("cortex.replay.gap")) {
                assertThat(m.idNumber()).as("after %s", before.id()).isEqualTo(before.idNumber() + 1);
            }
        }
    }

    @Test
    void aQuietStreamSendsKeepAliveComments() {
        server(b -> b.eventKeepAlive(Duration.ofMillis(50)));
        SseStream s = open("", t.reader);

        assertThat(s.next(WAIT).comment()).isEqualTo("keep-alive");
        assertThat(s.next(WAIT).comment()).isEqualTo("keep-alive");
    }

    @Test
    void aClientThatGoesAwayFreesItsStream() {
        server(b -> b.eventKeepAlive(Duration.ofMillis(50)));
        SseStream s = open("", t.reader);
        SseStream other = open("", t.reader);
        await().atMost(WAIT).until(() -> t.server.eventStreamClients() == 2);

        s.close();

        await().atMost(WAIT).until(() -> t.server.eventStreamClients() == 1);
        String job = submitAndCancel();
        assertThat(until(other, is(job, "cancelled"))).isNotEmpty();
    }

    @Test
    void stoppingTheServerEndsEveryStream() {
        SseStream a = open("", t.reader);
        SseStream b = open("?types=job.updated", t.reader);
        await().atMost(WAIT).until(() -> t.server.eventStreamClients() == 2);

        t.server.close();

        await().atMost(WAIT).until(() -> a.ended() && b.ended());
        assertThat(t.server.eventStreamClients()).isZero();
    }

    @Test
    void oneStreamMoreThanAllowedIsAnsweredUnavailableWithRetryAfter() {
        server(b -> b.maxEventStreams(1).eventKeepAlive(Duration.ofMillis(50)));
        SseStream first = open("", t.reader);
        await().atMost(WAIT).until(() -> t.server.eventStreamClients() == 1);

        Reply r = t.get(EVENTS, t.reader);

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asText()).endsWith("/unavailable");
        assertThat(r.header("Retry-After")).isEqualTo("5");
        first.close();
        await().atMost(WAIT).until(() -> t.server.eventStreamClients() == 0);
        assertThat(open("", t.reader).status).isEqualTo(200);
    }

    @Test
    void connectingSpendsTheKeysRateLimit() {
        t.close();
        t = new TestServer(b -> b.rateLimit(RateLimit.of(1, Duration.ofMinutes(1))));
        assertThat(open("", t.reader).status).isEqualTo(200);

        Reply r = t.get(EVENTS, t.reader);

        assertThat(r.status()).isEqualTo(429);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("Retry-After")).isNotNull();
    }

    @Test
    void aWebhookEndpointTheDispatcherDisablesIsStreamedToo() throws IOException {
        startReceiver();
        subscribe("/gone", EventTypes.JOB_STATUS_CHANGED);
        SseStream s = open("?types=webhook.endpoint.disabled", t.reader);

        t.submit("{\"image\":\"acme/train:1\"}");

        Message m = s.events(1, WAIT).get(0);
        assertThat(m.event()).isEqualTo(EventTypes.WEBHOOK_ENDPOINT_DISABLED);
        JsonNode body = json(m.data());
        assertThat(body.get("type").asText()).isEqualTo(EventTypes.WEBHOOK_ENDPOINT_DISABLED);
        assertThat(body.at("/data/endpoint/url").asText()).endsWith("/gone");
        assertThat(body.at("/data/reason").asText()).contains("410");
        assertThat(body.at("/data/eventId").asText()).startsWith("evt_w_");
    }
}
