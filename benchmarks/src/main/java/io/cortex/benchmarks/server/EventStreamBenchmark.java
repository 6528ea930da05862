package io.cortex.benchmarks.server;

import io.cortex.core.Cortex;
import io.cortex.core.job.JobSpec;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.server.ApiKeys;
import io.cortex.server.CortexServer;
import io.cortex.server.GeneratedApiKey;
import io.cortex.server.RateLimit;
import io.cortex.webhooks.WebhookPayloads;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second fanned out to N Server-Sent Events clients over loopback.
 *
 * <p>One operation submits {@value #JOBS} jobs to a manual engine (its events are published on the
 * benchmark thread; the in-memory provider runs each job inside {@code submit}, about five events a
 * job) and waits until <em>every</em> client has read every one of those events off its socket. The
 * auxiliary counters turn that into rates: {@code events} published per second and
 * {@code deliveries} (events × clients) read per second.
 *
 * <ul>
 *   <li>{@code cortex}: {@code GET /api/plugin-core/events} of a {@link CortexServer}: the engine's
 *       listener appends to the replay window; each client's request thread renders (once per
 *       event, shared) and writes its batch.</li>
 *   <li>{@code javalinSse}: the obvious alternative, Javalin's own {@code sse()} with an engine
 *       listener that renders each event once and sends it to every connected {@link SseClient}
 *       (a write and a flush per client and event) on the engine's thread.</li>
 *   <li>{@code engineOnly}: the same submits with no server: the floor.</li>
 * </ul>
 *
 * <p>Clients are {@code java.net.http} streams read by one thread each, counting {@code id:} lines.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar EventStreamBenchmark}. On 2 cores the
 * clients, the server and the engine share the CPUs: compare rows of one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class EventStreamBenchmark {
    /** Jobs submitted per operation. */
    static final int JOBS = 100;

    /** Connected clients, each reading every event. */
    @Param({"1", "10", "50"})
    public int clients;

    private Cortex streamed;
    private Cortex broadcast;
    private Cortex alone;
    private CortexServer server;
    private Javalin javalin;
    private final List<SseClient> javalinClients = new CopyOnWriteArrayList<>();
    private final AtomicLong javalinIds = new AtomicLong();
    private final List<Reader> cortexReaders = new ArrayList<>();
    private final List<Reader> javalinReaders = new ArrayList<>();
    private final AtomicLong streamedEvents = new AtomicLong();
    private final AtomicLong broadcastEvents = new AtomicLong();
    private final AtomicLong aloneEvents = new AtomicLong();
    private HttpClient http;
    private JobSpec spec;
    private long streamedBase;
    private long broadcastBase;

    /** Rates reported next to the operation rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        /** Events published. */
        public long events;
        /** Events read by clients (events × clients). */
        public long deliveries;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
            deliveries = 0;
        }
    }

    /**
     * CPU time of the whole process (server, engine, client threads, GC) and the events the clients
     * read, per iteration: their ratio is steadier than the rates on a machine others load too.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        /** Process CPU time in the iteration, microseconds. */
        public long cpuMicros;
        /** Events read by the clients in the iteration ({@code engineOnly}: events published). */
        public long delivered;
        private long cpuAtStart;

        /** Starts counting. */
        @Setup(Level.Iteration)
        public void begin() {
            delivered = 0;
            cpuMicros = 0;
            cpuAtStart = processCpuNanos();
        }

        /** Reads the CPU time spent. */
        @TearDown(Level.Iteration)
        public void end() {
            cpuMicros = (processCpuNanos() - cpuAtStart) / 1_000;
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /** One client: a thread reading one stream and counting its events. */
    private static final class Reader implements Runnable {
        final InputStream body;
        final AtomicLong received = new AtomicLong();
        volatile long gaps;

        Reader(InputStream body) {
            this.body = body;
        }

        @Override
        public void run() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("id: ")) {
                        received.incrementAndGet();
                    } else if (line.equals("event: cortex.replay.gap")) {
                        gaps++;
                    }
                }
            } catch (IOException e) {
                // closed at tear-down
            }
        }
    }

    /** Starts three engines, the Cortex server, the Javalin server and the clients. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        spec = JobSpec.builder().image("ghcr.io/acme/train:1.2").resources(1000, "1Gi", "10Gi").label("team", "ml").build();
        streamed = engine("streamed", streamedEvents);
        broadcast = engine("broadcast", broadcastEvents);
        alone = engine("alone", aloneEvents);

        ApiKeys keys = new ApiKeys();
        GeneratedApiKey key = keys.generate("benchmark", io.cortex.server.Scope.READ);
        server = CortexServer.builder().cortex(streamed).apiKeys(keys).rateLimit(RateLimit.unlimited())
                .maxEventStreams(Math.max(clients, 1)).start();
        javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.sse("/bare/events", client -> {
                client.keepAlive();
                client.onClose(() -> javalinClients.remove(client));
                javalinClients.add(client);
            });
        }).start("127.0.0.1", 0);
        broadcast.addListener(e -> {
            String json = WebhookPayloads.of(e);
            String id = Long.toString(javalinIds.incrementAndGet());
            for (SseClient c : javalinClients) {
                c.sendEvent(e.type(), json, id);
            }
        });

        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < clients; i++) {
            cortexReaders.add(connect(HttpRequest.newBuilder(server.uri().resolve("/api/plugin-core/events"))
                    .header("Authorization", "Bearer " + key.token()).build()));
            javalinReaders.add(connect(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + javalin.port() + "/bare/events"))
                    .header("Accept", "text/event-stream").build()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((server.eventStreamClients() < clients || javalinClients.size() < clients) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        if (server.eventStreamClients() < clients || javalinClients.size() < clients) {
            throw new IllegalStateException("clients did not connect: " + server.eventStreamClients() + " / "
                    + javalinClients.size() + " of " + clients);
        }
        streamedBase = streamedEvents.get();   // the clients read what is published from now on
        broadcastBase = broadcastEvents.get();
    }

    private static Cortex engine(String provider, AtomicLong published) {
        return Cortex.builder().manual().provider(InMemoryProvider.builder(provider).build())
                .retention(1_000, Duration.ofMinutes(5)).listener(e -> published.incrementAndGet()).build();
    }

    private Reader connect(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + r.statusCode());
        }
        Reader reader = new Reader(r.body());
        Thread t = new Thread(reader, "sse-client");
        t.setDaemon(true);
        t.start();
        return reader;
    }

    /** Closes everything; fails when a Cortex client ever fell out of the replay window. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        long gaps = cortexReaders.stream().mapToLong(r -> r.gaps).sum();
        for (Reader r : cortexReaders) {
            r.body.close();
        }
        for (Reader r : javalinReaders) {
            r.body.close();
        }
        server.close();
        javalin.stop();
        streamed.close();
        broadcast.close();
        alone.close();
        if (gaps > 0) {
            throw new IllegalStateException(gaps + " replay gaps: a client fell out of the window, the figures are void");
        }
    }

    private int submitAll(Cortex cortex) {
        int n = 0;
        for (int i = 0; i < JOBS; i++) {
            n += cortex.submit(spec).version() > 0 ? 1 : 0;
        }
        return n;
    }

    private static void awaitAll(List<Reader> readers, long target) {
        for (Reader r : readers) {
            while (r.received.get() < target) {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /**
     * Submits, and waits until every Cortex event-stream client has read every event.
     *
     * @param rates the counters
     * @param cpu the CPU cost
     * @return the jobs submitted
     */
    @Benchmark
    public int cortex(Rates rates, Cpu cpu) {
        long before = streamedEvents.get();
        int n = submitAll(streamed);
        long published = streamedEvents.get() - before;
        awaitAll(cortexReaders, streamedEvents.get() - streamedBase);
        rates.events += published;
        rates.deliveries += published * clients;
        cpu.delivered += published * clients;
        return n;
    }

    /**
     * Submits, broadcasting each event to Javalin's SSE clients from the engine's listener, and waits
     * until every client has read every event.
     *
     * @param rates the counters
     * @param cpu the CPU cost
     * @return the jobs submitted
     */
    @Benchmark
    public int javalinSse(Rates rates, Cpu cpu) {
        long before = broadcastEvents.get();
        int n = submitAll(broadcast);
        long published = broadcastEvents.get() - before;
        awaitAll(javalinReaders, broadcastEvents.get() - broadcastBase);
        rates.events += published;
        rates.deliveries += published * clients;
        cpu.delivered += published * clients;
        return n;
    }

    /**
     * Submits with no server at all: the engine's own cost of the same events.
     *
     * @param rates the counters
     * @param cpu the CPU cost
     * @return the jobs submitted
     */
    @Benchmark
    public int engineOnly(Rates rates, Cpu cpu) {
        long before = aloneEvents.get();
        int n = submitAll(alone);
        rates.events += aloneEvents.get() - before;
        cpu.delivered += aloneEvents.get() - before;
        return n;
    }
}
