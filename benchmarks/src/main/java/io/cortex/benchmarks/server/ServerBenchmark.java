package io.cortex.benchmarks.server;

import io.cortex.core.Cortex;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.core.json.CortexJson;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.server.ApiKeys;
import io.cortex.server.CortexServer;
import io.cortex.server.GeneratedApiKey;
import io.cortex.server.RateLimit;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests per second of {@code cortex-server} from a local client with many threads, next to a
 * bare handler that answers the same bytes.
 *
 * <ul>
 *   <li>{@code getJob}: {@code GET /api/plugin-core/jobs/{id}} with a bearer key: authentication
 *       (SHA-256 + constant-time compare), the token bucket, the engine's store read, env redaction
 *       and Cortex's JSON mapper.</li>
 *   <li>{@code postJob}: {@code POST /api/plugin-core/jobs}: the same, plus reading and validating
 *       the body and the engine's submit (the in-memory provider runs the job inside submit).</li>
 *   <li>{@code bareGet} / {@code barePost}: a Javalin app of the same version with Jetty's defaults,
 *       one handler each, answering the pre-serialised bytes of the same job (the post handler reads
 *       the body first). The gap is what Cortex's layer costs per request.</li>
 * </ul>
 *
 * <p>Both servers listen on loopback; one {@link HttpClient} (HTTP/1.1, pooled connections) is shared
 * by {@value #THREADS} benchmark threads. The main server runs without a rate limit, so no answer is
 * a 429; {@code getJobLimited} adds the token bucket, on a second server whose bucket is too large to
 * empty.
 *
 * <p>Run (once moved to benchmarks/): {@code java -jar benchmarks/target/benchmarks.jar ServerBenchmark}.
 * On the 2-core machine client and server share the cores, so compare the rows with each other, not
 * with other machines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Threads(ServerBenchmark.THREADS)
@Fork(1)
public class ServerBenchmark {
    /** Client threads. */
    static final int THREADS = 16;
    private static final String SPEC = "{\"image\":\"ghcr.io/acme/train:1.2\",\"resources\":{\"cpu\":1000,\"memory\":\"1Gi\","
            + "\"storage\":\"10Gi\"},\"labels\":{\"team\":\"ml\"}}";

    private Cortex cortex;
    private CortexServer server;
    private CortexServer limitedServer;
    private Javalin bare;
    private HttpClient http;
    private HttpRequest getJob;
    private HttpRequest getJobLimited;
    private HttpRequest postJob;
    private HttpRequest bareGet;
    private HttpRequest barePost;

    /** Starts the engine, both servers and the client; checks every request answers as expected. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        cortex = Cortex.builder().provider(InMemoryProvider.builder("bench").build()).retention(10_000, Duration.ofMinutes(5))
                .build();
        ApiKeys keys = new ApiKeys();
        GeneratedApiKey key = keys.generate("benchmark", io.cortex.server.Scope.WRITE);
        server = CortexServer.builder().cortex(cortex).apiKeys(keys).rateLimit(RateLimit.unlimited()).start();
        limitedServer = CortexServer.builder().cortex(cortex).apiKeys(keys).rateLimit(RateLimit.of(1_000_000_000L, Duration.ofMillis(1)))
                .start();

        Job job = cortex.submit(JobSpec.builder().image("ghcr.io/acme/train:1.2").resources(1000, "1Gi", "10Gi").label("team", "ml")
                .build());
        byte[] jobBytes = CortexJson.mapper().writeValueAsBytes(job);
        bare = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/bare/job", ctx -> ctx.contentType("application/json").result(jobBytes));
            config.routes.post("/bare/jobs", ctx -> {
                ctx.bodyAsBytes();
                ctx.status(201).contentType("application/json").result(jobBytes);
            });
        }).start("127.0.0.1", 0);

        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(THREADS))
                .connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Bearer " + key.token();
        String jobPath = "/api/plugin-core/jobs/" + job.id().value();
        getJob = HttpRequest.newBuilder(server.uri().resolve(jobPath)).header("Authorization", auth).GET().build();
        getJobLimited = HttpRequest.newBuilder(limitedServer.uri().resolve(jobPath)).header("Authorization", auth).GET().build();
        postJob = HttpRequest.newBuilder(server.uri().resolve("/api/plugin-core/jobs")).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(SPEC)).build();
        URI bareBase = URI.create("http://127.0.0.1:" + bare.port());
        bareGet = HttpRequest.newBuilder(bareBase.resolve("/bare/job")).GET().build();
        barePost = HttpRequest.newBuilder(bareBase.resolve("/bare/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SPEC)).build();

        expect(getJob, 200);
        expect(getJobLimited, 200);
        expect(postJob, 201);
        expect(bareGet, 200);
        expect(barePost, 201);
    }

    private void expect(HttpRequest request, int status) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != status) {
            throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Stops everything. */
    @TearDown(Level.Trial)
    public void stop() {
        bare.stop();
        limitedServer.close();
        server.close();
        cortex.close();
    }

    private int send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode() + r.body().length;
    }

    /**
     * GET one job through Cortex.
     *
     * @return status plus body length, so nothing is optimised away
     * @throws Exception on a transport error
     */
    @Benchmark
    public int getJob() throws Exception {
        return send(getJob);
    }

    /**
     * GET one job through Cortex with a rate limit in force (a bucket it never empties).
     *
     * @return status plus body length
     * @throws Exception on a transport error
     */
    @Benchmark
    public int getJobLimited() throws Exception {
        return send(getJobLimited);
    }

    /**
     * POST a job through Cortex: a new job each time.
     *
     * @return status plus body length
     * @throws Exception on a transport error
     */
    @Benchmark
    public int postJob() throws Exception {
        return send(postJob);
    }

    /**
     * GET the same bytes from a bare handler.
     *
     * @return status plus body length
     * @throws Exception on a transport error
     */
    @Benchmark
    public int bareGet() throws Exception {
        return send(bareGet);
    }

    /**
     * POST the same body to a bare handler that answers the same bytes.
     *
     * @return status plus body length
     * @throws Exception on a transport error
     */
    @Benchmark
    public int barePost() throws Exception {
        return send(barePost);
    }
}
