package io.cortex.benchmarks.webhooks;

import com.sun.net.httpserver.HttpServer;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.webhooks.InMemoryDeliveryStore;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookEventTypes;
import io.cortex.webhooks.WebhookSecret;
import io.cortex.webhooks.WebhookSubscription;
import io.cortex.webhooks.WebhookSubscriptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end webhook deliveries per second: events handed to a {@link WebhookDispatcher} (as the
 * engine's event pump does), fanned out to {@code endpoints} subscriptions, written to the
 * in-memory delivery store, signed with HMAC-SHA256 and POSTed over loopback HTTP to a local
 * receiver (the JDK's {@code HttpServer}, answering 204), until every delivery is recorded as
 * succeeded.
 *
 * <p>One operation is one delivery (one event to one endpoint). With 50 endpoints each event
 * becomes 50 deliveries, so the same number of deliveries spreads over 50 queues with up to
 * {@code maxInFlightPerEndpoint} requests each.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DeliveryBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class DeliveryBenchmark {

  /** Deliveries per benchmark invocation. */
  private static final int BATCH = 1000;

  /** Subscribed endpoints; every event goes to each. */
  @Param({"1", "50"})
  public int endpoints;

  /** Concurrent requests allowed per endpoint. */
  @Param({"4", "16"})
  public int maxInFlightPerEndpoint;

  private HttpServer server;
  private ExecutorService serverThreads;
  private WebhookDispatcher dispatcher;
  private final AtomicLong received = new AtomicLong();
  private long eventSeq;
  private long target;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    serverThreads = Executors.newFixedThreadPool(64);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      received.incrementAndGet();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.setExecutor(serverThreads);
    server.start();

    WebhookSecret secret = WebhookSecret.generate();
    WebhookSubscriptions subscriptions = new WebhookSubscriptions();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook/";
    for (int i = 0; i < endpoints; i++) {
      subscriptions.create(WebhookSubscription.builder().id("bench-" + i).url(base + i)
          .eventTypes(WebhookEventTypes.ALL).secrets(secret)
          .allowPlainHttp(true).allowPrivateAddresses(true).build());
    }
    Clock clock = Clock.systemUTC();
    dispatcher = WebhookDispatcher.builder().subscriptions(subscriptions).clock(clock)
        .store(InMemoryDeliveryStore.of(4 * BATCH + 10_000, Duration.ofMinutes(1), clock))
        .maxInFlightPerEndpoint(maxInFlightPerEndpoint)
        .maxInFlight(Math.max(endpoints * maxInFlightPerEndpoint, 1))
        .maxQueuedPerEndpoint(2 * BATCH)
        .tickInterval(Duration.ofMillis(50))
        .build();
    dispatcher.start();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    dispatcher.close();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  /** Hands {@value #BATCH} deliveries to the dispatcher and waits until all succeeded. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long deliver() {
    int events = BATCH / endpoints;
    target += (long) events * endpoints;
    for (int i = 0; i < events; i++) {
      long n = eventSeq++;
      // 64 providers: 64 ordering keys, so one endpoint may have several requests in flight
      ProviderId provider = ProviderId.of("p" + (n % 64));
      dispatcher.onEvent(CortexEvent.of("evt_bench_" + n, EventTypes.PROVIDER_STATUS_CHANGED,
          new ProviderChange(provider, ProviderStatus.ONLINE, ProviderStatus.DEGRADED,
              ReasonCode.HEALTH_CHANGED, "benchmark event " + n, java.time.Instant.now())));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // the receiver's count first (free), then the dispatcher's record of the outcomes
    while (received.get() < target || dispatcher.metrics().succeeded() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("deliveries did not complete within 60 s: "
            + dispatcher.metrics());
      }
      LockSupport.parkNanos(50_000);
    }
    return received.get();
  }
}
