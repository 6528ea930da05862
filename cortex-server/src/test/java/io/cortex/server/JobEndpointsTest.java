package io.cortex.server;

import static io.cortex.server.TestServer.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import io.cortex.core.store.JobQuery;
import io.cortex.provider.inmemory.Outcome;
import io.cortex.server.TestServer.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobEndpointsTest {
    private static final String TRAIN = "{\"image\":\"ghcr.io/acme/train:1.2\",\"resources\":{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"10Gi\"},"
            + "\"labels\":{\"team\":\"ml\"}}";
    /** Runs only on gamma, which is offline: stays PENDING. */
    private static final String WAITING = "{\"image\":\"acme/wait:1\",\"constraints\":{\"allow\":[\"gamma\"]}}";

    private final TestServer t = new TestServer();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void submitAnswers201WithLocationAndThePlacedJob() {
        Reply r = t.post(JOBS, t.writer, TRAIN);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode job = r.json();
        assertThat(r.header("Location")).isEqualTo(JOBS + "/" + job.get("id").asText());
        assertThat(job.get("state").asText()).isEqualTo("assigned");
        assertThat(job.get("provider").asText()).isEqualTo("alpha");
        assertThat(job.at("/spec/resources/memory").asText()).isEqualTo("1Gi");
        assertThat(t.cortex.job(JobId.of(job.get("id").asText())).state()).isEqualTo(JobState.ASSIGNED);
    }

    @Test
    void getAnswersTheJobWithEnvironmentValuesRedacted() {
        String id = t.submit("{\"image\":\"acme/train:1\",\"env\":{\"API_TOKEN\":\"s3cret\"}}");

        Reply r = t.get(JOBS + "/" + id, t.reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id").asText()).isEqualTo(id);
        assertThat(r.json().at("/spec/env/API_TOKEN").asText()).isEqualTo("<redacted>");
        assertThat(r.body()).doesNotContain("s3cret");
        assertThat(t.cortex.job(JobId.of(id)).spec().env()).containsEntry("API_TOKEN", "s3cret");
    }

    @Test
    void listFiltersByStateProviderAndLabelAndPages() {
        String train = t.submit(TRAIN);
        String waiting = t.submit(WAITING);
        t.submit("{\"image\":\"acme/etl:1\",\"labels\":{\"team\":\"data\"}}");

        JsonNode all = t.get(JOBS, t.reader).json();
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(t.get(JOBS + "?state=pending", t.reader).json().at("/items/0/id").asText()).isEqualTo(waiting);
        assertThat(t.get(JOBS + "?state=pending,assigned", t.reader).json().get("total").asLong()).isEqualTo(3);
        assertThat(t.get(JOBS + "?label=team:ml", t.reader).json().at("/items/0/id").asText()).isEqualTo(train);
        assertThat(t.get(JOBS + "?label=team:ml", t.reader).json().get("total").asLong()).isEqualTo(1);
        assertThat(t.get(JOBS + "?provider=alpha", t.reader).json().get("total").asLong()).isEqualTo(2);
        JsonNode page = t.get(JOBS + "?offset=1&limit=1", t.reader).json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("hasMore").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"state=sleeping,state", "limit=0,limit", "limit=x,limit", "offset=-1,offset", "label=nocolon,label",
            "provider=Not_Valid!,provider"})
    void listRejectsABadQueryNamingTheParameter(String query, String field) {
        Reply r = t.get(JOBS + "?" + query, t.reader);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/validation");
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo(field);
    }

    @Test
    void putChangesThePendingJobsResources() {
        String id = t.submit(WAITING);

        Reply r = t.put(JOBS + "/" + id, t.writer, "{\"cpu\":2000,\"memory\":\"2Gi\",\"storage\":\"20Gi\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/spec/resources/cpu").asInt()).isEqualTo(2000);
        assertThat(t.cortex.job(JobId.of(id)).spec().resources().memory().toString()).isEqualTo("2Gi");
        assertThat(t.get(JOBS + "/" + id + "/events", t.reader).body()).contains("RESOURCES_UPDATED");
    }

    @Test
    void putOnAnAssignedJobIsAConflict() {
        String id = t.submit(TRAIN);

        Reply r = t.put(JOBS + "/" + id, t.writer, "{\"cpu\":2000,\"memory\":\"2Gi\",\"storage\":\"20Gi\"}");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/conflict");
        assertThat(t.cortex.job(JobId.of(id)).spec().resources().cpuMillis()).isEqualTo(1000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"cpu\":1000,\"memory\":\"12Zi\",\"storage\":\"10Gi\"}|memory/format",
            "{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"-5Gi\"}|storage/format",
            "{\"cpu\":\"lots\",\"memory\":\"1Gi\",\"storage\":\"10Gi\"}|cpu/format",
            "{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"10Gi\",\"colour\":\"red\"}|colour/unknown-field",
            "{\"cpu\":1000,\"memory\":\"1Gi\"}|storage/required",
            "{\"cpu\":0,\"memory\":\"1Gi\",\"storage\":\"10Gi\"}|body/invalid",
            "{\"cpu\":1000,|body/json",
            "[1,2]|body/type",
            "{\"cpu\":1000,\"cpu\":2000,\"memory\":\"1Gi\",\"storage\":\"10Gi\"}|body/json"})
    void anInvalidPutIsA400NamingTheFieldAndLeavesTheJobUnchanged(String body, String error) {
        String id = t.submit(WAITING);
        long version = t.cortex.job(JobId.of(id)).version();

        Reply r = t.put(JOBS + "/" + id, t.writer, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.firstError()).isEqualTo(error);
        assertThat(t.cortex.job(JobId.of(id)).version()).isEqualTo(version);
        assertThat(t.cortex.job(JobId.of(id)).spec().resources().cpuMillis()).isEqualTo(250);
    }

    @Test
    void anOversizeBodyIs413AndLeavesTheJobUnchanged() {
        try (TestServer small = new TestServer(b -> b.rateLimit(RateLimit.unlimited()).maxBodyBytes(2048))) {
            String id = small.submit(WAITING);
            long version = small.cortex.job(JobId.of(id)).version();
            String padding = "x".repeat(4096);

            Reply r = small.put(JOBS + "/" + id, small.writer,
                    "{\"cpu\":2000,\"memory\":\"2Gi\",\"storage\":\"20Gi\",\"note\":\"" + padding + "\"}");

            assertThat(r.status()).isEqualTo(413);
            assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/payload-too-large");
            assertThat(r.firstError()).isEqualTo("body/max-bytes");
            assertThat(r.json().get("maxBytes").asLong()).isEqualTo(2048);
            assertThat(small.cortex.job(JobId.of(id)).version()).isEqualTo(version);
        }
    }

    @Test
    void anOversizeBodyIsRefusedEvenWhereNoBodyIsReadAndWhenChunked() {
        try (TestServer small = new TestServer(b -> b.rateLimit(RateLimit.unlimited()).maxBodyBytes(2048))) {
            String id = small.submit(TRAIN);
            String big = "{\"note\":\"" + "x".repeat(4096) + "\"}";

            Reply cancel = small.post(JOBS + "/" + id + "/cancel", small.writer, big);
            Reply chunked = small.send(java.net.http.HttpRequest.newBuilder(small.server.uri().resolve(JOBS))
                    .header("Authorization", "Bearer " + small.writer.token())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(("{\"image\":\"acme/x:1\",\"labels\":{\"pad\":\""
                                    + "y".repeat(4000) + "\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                    .build());

            assertThat(cancel.status()).isEqualTo(413);
            assertThat(cancel.json().get("requestId").asText()).isEqualTo(cancel.header("X-Request-Id"));
            assertThat(small.cortex.job(JobId.of(id)).state()).isEqualTo(JobState.ASSIGNED);
            assertThat(chunked.status()).isEqualTo(413);
            assertThat(small.cortex.jobs(JobQuery.all()).total()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"image\":|body/json",
            "''|body/required",
            "\"just a string\"|body/type",
            "{\"command\":[\"run\"]}|image/required",
            "{\"image\":\"ACME/Train:1\"}|image/format",
            "{\"image\":\"acme/train:1\",\"colour\":\"red\"}|colour/unknown-field",
            "{\"image\":\"acme/train:1\",\"resources\":{\"cpu\":1000,\"memory\":\"12Zi\",\"storage\":\"1Gi\"}}|resources.memory/format",
            "{\"image\":\"acme/train:1\",\"resources\":{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"1Gi\",\"disk\":1}}|resources.disk/unknown-field",
            "{\"image\":\"acme/train:1\",\"maxAttempts\":0}|maxAttempts/invalid",
            "{\"image\":\"acme/train:1\",\"env\":{\"1BAD\":\"x\"}}|env/invalid",
            "{\"image\":\"acme/train:1\",\"command\":\"run\"}|command/type"})
    void anInvalidSubmitIsA400NamingTheFieldAndCreatesNoJob(String body, String error) {
        Reply r = t.post(JOBS, t.writer, body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstError()).isEqualTo(error);
        assertThat(r.json().get("detail").asText()).isNotBlank();
        assertThat(t.cortex.jobs(JobQuery.all()).total()).isZero();
    }

    @Test
    void eventsListTheJobsHistoryOldestFirst() {
        String id = t.submit(TRAIN);

        JsonNode events = t.get(JOBS + "/" + id + "/events", t.reader).json();

        assertThat(events.get(0).get("type").asText()).isEqualTo("SUBMITTED");
        assertThat(events.get(1).get("to").asText()).isEqualTo("assigned");
        assertThat(events.get(1).get("reason").asText()).isEqualTo("PLACED");
    }

    @Test
    void logsAnswerTheLinesTheJobPrinted() {
        t.alpha.onImage("acme/chatty", Outcome.succeed().printing("loading model", "epoch 1"));
        String id = t.submit("{\"image\":\"acme/chatty:1\"}");
        t.advance(Duration.ofSeconds(30));

        JsonNode lines = t.get(JOBS + "/" + id + "/logs?after=-1&limit=10", t.reader).json();

        assertThat(lines).extracting(l -> l.get("text").asText()).contains("loading model", "epoch 1");
        assertThat(t.get(JOBS + "/" + id + "/logs?after=0&limit=1", t.reader).json()).hasSize(1);
        assertThat(t.get(JOBS + "/" + id + "/logs?limit=0", t.reader).firstError()).isEqualTo("limit/range");
    }

    @Test
    void resubmitSendsAFailedJobToTheNamedProvider() {
        String id = t.submit("{\"image\":\"acme/broken:1\",\"maxAttempts\":1}");
        t.advance(Duration.ofSeconds(30));
        t.advance(Duration.ofSeconds(60));
        assertThat(t.cortex.job(JobId.of(id)).state()).isEqualTo(JobState.FAILED);

        Reply r = t.post(JOBS + "/" + id + "/resubmit", t.writer, "{\"provider\": \"beta\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("state").asText()).isEqualTo("assigned");
        assertThat(r.json().get("provider").asText()).isEqualTo("beta");
    }

    @Test
    void resubmitWithoutBodyPlacesThePendingJobAgain() {
        String id = t.submit(WAITING);

        Reply r = t.post(JOBS + "/" + id + "/resubmit", t.writer, null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("state").asText()).isEqualTo("pending");
    }

    @Test
    void resubmitOfARunningJobIsAConflictAndChangesNothing() {
        String id = t.submit(TRAIN);
        t.advance(Duration.ofSeconds(30));
        long version = t.cortex.job(JobId.of(id)).version();

        Reply r = t.post(JOBS + "/" + id + "/resubmit", t.writer, "{}");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("detail").asText()).contains("RUNNING");
        assertThat(t.cortex.job(JobId.of(id)).version()).isEqualTo(version);
    }

    @Test
    void resubmitRejectsAnUnknownProviderAndUnknownFields() {
        String id = t.submit(WAITING);

        Reply unknown = t.post(JOBS + "/" + id + "/resubmit", t.writer, "{\"provider\":\"delta\"}");
        Reply misspelt = t.post(JOBS + "/" + id + "/resubmit", t.writer, "{\"provder\":\"beta\"}");
        Reply notText = t.post(JOBS + "/" + id + "/resubmit", t.writer, "{\"provider\":7}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("resource").asText()).isEqualTo("provider");
        assertThat(misspelt.status()).isEqualTo(400);
        assertThat(misspelt.firstError()).isEqualTo("provder/unknown-field");
        assertThat(notText.firstError()).isEqualTo("provider/type");
    }

    @Test
    void cancelCancelsAndIsIdempotent() {
        String id = t.submit(TRAIN);

        Reply first = t.post(JOBS + "/" + id + "/cancel", t.writer, null);
        Reply again = t.post(JOBS + "/" + id + "/cancel", t.writer, null);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("state").asText()).isEqualTo("cancelled");
        assertThat(again.status()).isEqualTo(200);
        assertThat(t.alpha.cancellations()).isEqualTo(1);
    }

    @Test
    void cancelOfASucceededJobIsAConflictNamingTheTransition() {
        String id = t.submit(TRAIN);
        t.advance(Duration.ofSeconds(30));
        t.advance(Duration.ofSeconds(60));
        assertThat(t.cortex.job(JobId.of(id)).state()).isEqualTo(JobState.SUCCEEDED);

        Reply r = t.post(JOBS + "/" + id + "/cancel", t.writer, null);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("from").asText()).isEqualTo("succeeded");
        assertThat(r.json().get("to").asText()).isEqualTo("cancelled");
        assertThat(t.cortex.job(JobId.of(id)).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void diagnosisExplainsWhereTheJobIs() {
        String id = t.submit(WAITING);

        Reply r = t.get(JOBS + "/" + id + "/diagnosis", t.reader);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("jobId").asText()).isEqualTo(id);
        assertThat(r.json().get("state").asText()).isEqualTo("pending");
        assertThat(r.json().get("summary").asText()).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource({"GET,", "PUT,/", "GET,/events", "GET,/logs", "POST,/resubmit", "POST,/cancel", "GET,/diagnosis"})
    void anUnknownJobIs404(String method, String suffix) {
        String tail = suffix == null || suffix.equals("/") ? "" : suffix;
        String body = method.equals("GET") ? null : "{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"10Gi\"}";
        if (suffix != null && !suffix.equals("/") && method.equals("POST")) {
            body = "{}";
        }

        Reply unknown = t.send(method, JOBS + "/job_doesnotexist" + tail, t.writer, body);
        Reply malformed = t.send(method, JOBS + "/not-a-job-id" + tail, t.writer, body);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("type").asText()).isEqualTo("https://cortex.io/problems/not-found");
        assertThat(unknown.json().get("resource").asText()).isEqualTo("job");
        assertThat(malformed.status()).isEqualTo(404);
    }
}
