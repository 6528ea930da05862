package io.cortex.benchmarks.client;

import com.fasterxml.jackson.databind.ObjectReader;
import com.sun.net.httpserver.HttpServer;
import io.cortex.client.CortexClient;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.json.CortexJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Cortex client costs per call next to raw OkHttp, on the same endpoint of the same loopback
 * server: {@code GET /api/plugin-core/jobs/{id}} answering one job. Both sides pay the same network
 * and the same JSON parse into a {@link Job} with the shared Cortex mapper; the difference is the
 * client's own work: building the request, the retry bookkeeping (a Failsafe execution per call),
 * response classification and closing. Target: {@code client / raw < 1.2}.
 *
 * <p>The server is the JDK's {@code HttpServer} answering a fixed body, so that the server's cost is
 * small and the same for both. Run: {@code java -jar benchmarks.jar ClientBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ClientBenchmark {
    private static final JobId ID = JobId.of("job_benchmark0001");
    private static final String PATH = "/api/plugin-core/jobs/" + ID.value();

    private HttpServer server;
    private ExecutorService serverThreads;
    private OkHttpClient okHttp;
    private Request rawRequest;
    private ObjectReader jobReader;
    private CortexClient client;

    /** Starts the loopback server and both clients. */
    @Setup(Level.Trial)
    public void start() throws IOException {
        JobSpec spec = JobSpec.builder().image("alpine:3.20").command("echo", "hello").label("team", "ml").build();
        byte[] body = CortexJson.mapper().writeValueAsBytes(Job.create(ID, spec, Instant.parse("2025-03-01T10:00:00Z")).job());
        // without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: 40 ms a call
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.createContext(PATH, exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Request-Id", "req_bench");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String base = "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();

        okHttp = new OkHttpClient();
        rawRequest = new Request.Builder().url(base + PATH).header("Authorization", "Bearer bench-key")
                .header("Accept", "application/json").build();
        jobReader = CortexJson.mapper().readerFor(Job.class);
        client = CortexClient.builder().baseUrl(base).apiKey("bench-key").build();
    }

    /** Stops everything. */
    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** Raw OkHttp: execute, read the body, parse it with the Cortex mapper, close. */
    @Benchmark
    public Job rawOkHttp() throws IOException {
        try (Response response = okHttp.newCall(rawRequest).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("HTTP " + response.code());
            }
            return jobReader.readValue(response.body().bytes());
        }
    }

    /** The Cortex client's typed call on the same endpoint. */
    @Benchmark
    public Job cortexClient() {
        return client.jobs().get(ID);
    }

    /** The Cortex client's asynchronous call, awaited. */
    @Benchmark
    public Job cortexClientAsync() {
        return client.jobs().getAsync(ID).join();
    }
}
