package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;
import static io.cortex.webhooks.internal.Preconditions.checkState;

import io.cortex.core.Cortex;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.CortexListener;
import io.cortex.core.log.OperatorLog;
import io.cortex.core.metrics.DeliveryCounts;
import io.cortex.core.service.ManagedService;
import io.cortex.core.util.MeterRegistries;
import io.cortex.webhooks.internal.DispatcherMeters;
import io.cortex.webhooks.internal.Excerpt;
import io.cortex.webhooks.internal.MessageIds;
import io.cortex.webhooks.internal.Option;
import io.cortex.webhooks.internal.Payloads;
import io.cortex.webhooks.internal.RetryAfter;
import io.cortex.webhooks.internal.SsrfGuard;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the engine's events to webhook endpoints: signed in the Standard Webhooks format,
 * retried on a schedule, with a history of every attempt.
 *
 * <pre>{@code
 * WebhookDispatcher dispatcher = WebhookDispatcher.builder()
 *     .engine(cortex)           // listens to its events; registers service "webhook-dispatcher"
 *     .subscriptions(subscriptions)
 *     .build();
 * }</pre>
 *
 * <p><b>Acceptance.</b> For each event ({@link #onEvent}) and each enabled subscription whose
 * filters match its type, the dispatcher writes the body once, {@code {"type", "timestamp",
 * "data"}}, and {@linkplain DeliveryStore#insert inserts} a {@link Delivery} into the {@link
 * DeliveryStore} <em>before the listener call returns</em>. The engine acknowledges an event in its
 * outbox only after its listeners returned, so with a durable store no event is lost between a
 * job's transition and its webhook. The delivery id, the {@code webhook-id} header, is derived from
 * the event id and the subscription id: the same on every attempt and redelivery.
 *
 * <p><b>Attempts.</b> Each endpoint has its own bounded in-memory queue and at most
 * {@link Builder#maxInFlightPerEndpoint(int) a few} attempts under way, made asynchronously with
 * OkHttp, so a slow or dead endpoint never delays the others. Deliveries with the same ordering
 * key (the job for job events) reach one endpoint in order: a later one waits while an earlier one
 * is being attempted or waits for its retry. Every attempt is signed anew with the attempt time
 * from the injected {@link Clock}; its host is resolved and every address checked against the
 * subscription's {@link UrlPolicy}, and redirects are never followed. A 2xx answer is a success;
 * 3xx, other statuses and every I/O error or timeout fail the attempt, which is retried after the
 * next delay of the {@link RetrySchedule} (a {@code Retry-After} on 429 and 503 is honoured up to
 * {@link Builder#maxRetryAfter(Duration)}); {@code 410 Gone} fails the delivery and disables the
 * endpoint. When the schedule is exhausted the delivery {@linkplain DeliveryStatus#FAILED fails}.
 *
 * <p><b>Backpressure.</b> When an endpoint's queue is full, further deliveries stay in the store
 * and are loaded as the queue drains: counted in {@link DispatcherMetrics#backpressured()} and
 * reported in the operator log. A delivery the store refuses (full, or failing) is lost: counted in
 * {@link DispatcherMetrics#dropped()} and logged as an error.
 *
 * <p><b>Disabling.</b> An endpoint whose attempts have all failed for
 * {@link #DEFAULT_DISABLE_AFTER 5 days}, or {@link #DEFAULT_DISABLE_AFTER_FAILURES} times in a
 * row, or that answered {@code 410 Gone}, is disabled: its subscription is set
 * {@linkplain WebhookSubscription#enabled() disabled}, its pending deliveries are
 * {@linkplain DeliveryStatus#ABANDONED abandoned}, the operator log gets a warning, and a
 * {@link WebhookEndpointDisabled} event goes to the listeners added with
 * {@link #addEndpointDisabledListener} and, as a {@code webhook.endpoint.disabled} webhook, to the
 * other subscriptions that want it.
 *
 * <p><b>Lifecycle.</b> The dispatcher is a {@link ManagedService} named {@value #SERVICE_NAME}:
 * {@link #start()} resumes every pending delivery in the store; {@link #stop()} waits up to the
 * {@linkplain Builder#drainTimeout(Duration) drain timeout} for attempts under way, cuts the rest
 * short and leaves every undelivered delivery pending in the store (events arriving while stopped
 * are stored too), so a restart, or another dispatcher on the same durable store, takes over.
 * With {@link Builder#manual()} no timer runs and a test moves retries forward with
 * {@link #runDue()} after advancing its clock.
 *
 * <p>Thread-safe.
 */
public final class WebhookDispatcher implements ManagedService, CortexListener, AutoCloseable {

  /** The service name, also used in the operator log. */
  public static final String SERVICE_NAME = "webhook-dispatcher";

  /** Default for {@link Builder#maxInFlightPerEndpoint(int)}. */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT = 4;

  /** Default for {@link Builder#maxInFlight(int)}. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  /** Default for {@link Builder#maxQueuedPerEndpoint(int)}. */
  public static final int DEFAULT_MAX_QUEUED_PER_ENDPOINT = 1000;

  /** Default for {@link Builder#maxResponseBodyBytes(int)}: 4 KiB. */
  public static final int DEFAULT_MAX_RESPONSE_BODY_BYTES = 4096;

  /** Default for {@link Builder#maxRetryAfter(Duration)}. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofHours(1);

  /** Default time after which an endpoint whose attempts all failed is disabled. */
  public static final Duration DEFAULT_DISABLE_AFTER = Duration.ofDays(5);

  /** Default number of failed attempts in a row after which an endpoint is disabled. */
  public static final int DEFAULT_DISABLE_AFTER_FAILURES = 1000;

  /** Default for {@link Builder#drainTimeout(Duration)}. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

  /** Default for {@link Builder#tickInterval(Duration)}. */
  public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofMillis(250);

  /** Longest response body kept per attempt. */
  public static final int MAX_RESPONSE_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String USER_AGENT = "Cortex-Webhooks/1";
  private static final int REDELIVER_LIMIT = 100_000;
  private static final int SCAN_BATCH = 1000;

  private final WebhookSubscriptions subscriptions;
  private final DeliveryStore store;
  private final Clock clock;
  private final OperatorLog operatorLog;
  private final RetrySchedule schedule;
  private final Duration maxRetryAfter;
  private final Duration disableAfter;
  private final int disableAfterFailures;
  private final int maxInFlightPerEndpoint;
  private final int maxInFlight;
  private final int maxQueued;
  private final int maxBody;
  private final Duration drainTimeout;
  private final Duration tickInterval;
  private final boolean manual;
  private final OkHttpClient http;
  private final ThreadPoolExecutor httpThreads;
  private final ScheduledExecutorService externalScheduler;
  private ScheduledExecutorService ownScheduler;
  private ScheduledFuture<?> ticker;
  private AutoCloseable engineListener;
  private AutoCloseable historySource;

  private final Map<UrlPolicy, OkHttpClient> clients = new ConcurrentHashMap<>();
  private final Map<String, SignerEntry> signers = new ConcurrentHashMap<>();
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final List<Consumer<WebhookEndpointDisabled>> disabledListeners =
      new CopyOnWriteArrayList<>();
  private final Object lifecycle = new Object();
  private final Object drainMonitor = new Object();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Set<Call> cutShort = ConcurrentHashMap.newKeySet();
  private volatile boolean running;
  private volatile boolean closed;
  private volatile boolean saturated;

  private final Map<AttemptOutcome, LongAdder> attemptCounts = new EnumMap<>(AttemptOutcome.class);
  private final LongAdder accepted = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder abandoned = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder backpressured = new LongAdder();
  private final LongAdder redelivered = new LongAdder();
  private final LongAdder endpointsDisabled = new LongAdder();
  /** Null without a meter registry: then no Micrometer class is loaded. */
  private final DispatcherMeters meters;

  private record SignerEntry(List<WebhookSecret> secrets, WebhookSigner signer) {}

  /** One endpoint's queue and health; guarded by its own monitor. */
  private static final class Endpoint {
    final String subscriptionId;
    final LinkedHashMap<String, Delivery> queue = new LinkedHashMap<>();
    final Map<String, Call> calls = new HashMap<>();
    boolean parked;
    boolean parkReported;
    boolean disabledByDispatcher;
    int consecutiveFailures;
    Instant failingSince;
    Instant lastAttemptAt;
    Instant lastSuccessAt;

    Endpoint(String subscriptionId) {
      this.subscriptionId = subscriptionId;
    }
  }

  private WebhookDispatcher(Builder b, Clock clock, OperatorLog log) {
    this.subscriptions = b.subscriptions.get();
    this.clock = clock;
    this.operatorLog = log;
    this.store = b.store.get() != null ? b.store.get() : InMemoryDeliveryStore.ofDefaults(clock);
    this.schedule = b.schedule.get();
    this.maxRetryAfter = b.maxRetryAfter.get();
    this.disableAfter = b.disableAfter.get();
    this.disableAfterFailures = b.disableAfterFailures.get();
    this.maxInFlightPerEndpoint = b.maxInFlightPerEndpoint.get();
    this.maxInFlight = b.maxInFlight.get();
    this.maxQueued = b.maxQueuedPerEndpoint.get();
    this.maxBody = b.maxResponseBodyBytes.get();
    this.drainTimeout = b.drainTimeout.get();
    this.tickInterval = b.tickInterval.get();
    this.manual = b.manual.get();
    this.externalScheduler = b.scheduler.get();
    for (AttemptOutcome o : AttemptOutcome.values()) {
      attemptCounts.put(o, new LongAdder());
    }
    AtomicInteger n = new AtomicInteger();
    this.httpThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> daemon(r, "cortex-webhooks-http-" + n.incrementAndGet()));
    Dispatcher httpDispatcher = new Dispatcher(httpThreads);
    // concurrency is bounded per endpoint and in total by this class, never by OkHttp's queue,
    // so that calls to a slow host cannot hold up calls to another one behind them
    httpDispatcher.setMaxRequests(Integer.MAX_VALUE);
    httpDispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    OkHttpClient base = b.httpClient.get() != null ? b.httpClient.get() : new OkHttpClient();
    this.http = base.newBuilder().dispatcher(httpDispatcher).followRedirects(false)
        .followSslRedirects(false).proxy(Proxy.NO_PROXY).build();
    b.disabledListeners.forEach(disabledListeners::add);
    this.meters = b.meterRegistry.get() == null ? null : DispatcherMeters.bind(b.meterRegistry.get(),
        new DispatcherMeters.Sources(accepted, succeeded, failed, abandoned, dropped,
            endpointsDisabled, this::queued, () -> Math.max(0, inFlight.get())));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Returns a builder; {@link Builder#subscriptions(WebhookSubscriptions)} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------------------
  // acceptance
  // ---------------------------------------------------------------------------------------------

  /**
   * Accepts an engine event: stores one pending delivery per enabled subscription that wants its
   * type, before returning, and starts the first attempts. Also called while stopped: the
   * deliveries wait in the store for {@link #start()}. Never throws; a delivery the store refuses
   * is counted as dropped and logged.
   *
   * @param event the event
   */
  @Override
  public void onEvent(CortexEvent event) {
    if (event == null) {
      return;
    }
    String key = event.job() != null ? event.job().job().id().value()
        : "provider:" + event.provider().provider().value();
    String jobId = event.job() != null ? key : null;
    String provider = event.providerId().map(p -> p.value()).orElse(null);
    accept(event.id(), event.type(), key, () -> Payloads.of(event), null, jobId, provider);
  }

  private void accept(String eventId, String type, String orderingKey, Supplier<String> body,
      String excludeSubscription, String jobId, String provider) {
    List<WebhookSubscription> matching = subscriptions.matching(type);
    String payload = null;
    Instant now = clock.instant();
    for (WebhookSubscription sub : matching) {
      if (sub.id().equals(excludeSubscription)) {
        continue;
      }
      if (payload == null) {
        try {
          payload = body.get();
        } catch (RuntimeException e) {
          dropped.add(matching.size());
          operatorLog.error(SERVICE_NAME, provider, jobId, "WEBHOOK_DELIVERY_DROPPED",
              "event " + eventId + " (" + type + ") could not be written as a webhook body and is "
                  + "not delivered to " + matching.size() + " endpoint(s): " + e);
          return;
        }
      }
      Delivery d = Delivery.pending(MessageIds.of(eventId, sub.id()), sub.id(), eventId, type,
          orderingKey, payload, now);
      boolean inserted;
      try {
        inserted = store.insert(d);
      } catch (RuntimeException e) {
        dropped.increment();
        operatorLog.error(SERVICE_NAME, provider, jobId, "WEBHOOK_DELIVERY_DROPPED",
            "delivery " + d.id() + " of event " + eventId + " (" + type + ") to endpoint "
                + sub.id() + " is dropped: the delivery store refused it: " + e.getMessage());
        continue;
      }
      if (!inserted) {
        continue; // the engine published this event again (e.g. after a crash): already stored
      }
      accepted.increment();
      Endpoint ep = queueOf(sub.id());
      boolean kick = false;
      synchronized (ep) {
        if (!running) {
          // stored; start() resumes it
        } else if (ep.parked || ep.queue.size() >= maxQueued) {
          ep.parked = true;
          backpressured.increment();
          if (!ep.parkReported) {
            ep.parkReported = true;
            operatorLog.warn(SERVICE_NAME, null, null, "WEBHOOK_BACKPRESSURE",
                "webhook endpoint " + sub.id() + " has " + ep.queue.size() + " deliveries queued "
                    + "(the maximum); further deliveries wait in the delivery store and are sent "
                    + "as the queue drains");
          }
        } else {
          ep.queue.put(d.id(), d);
          kick = true;
        }
      }
      if (kick) {
        runDue(ep);
      }
    }
  }

  private Endpoint queueOf(String subscriptionId) {
    return endpoints.computeIfAbsent(subscriptionId, Endpoint::new);
  }

  // ---------------------------------------------------------------------------------------------
  // attempts
  // ---------------------------------------------------------------------------------------------

  /**
   * Starts, on the calling thread, every attempt that is due by the clock and allowed by the
   * per-endpoint and total limits and by the ordering of deliveries; the attempts themselves run
   * asynchronously. With {@link Builder#manual()} this is how retries move forward; otherwise a
   * timer calls it every {@link Builder#tickInterval(Duration) tick}, and calling it is harmless.
   *
   * @return how many attempts were started
   */
  public int runDue() {
    saturated = false;
    int started = 0;
    for (Endpoint ep : endpoints.values()) {
      started += runDue(ep);
    }
    return started;
  }

  private int runDue(Endpoint ep) {
    if (!running) {
      return 0;
    }
    WebhookSubscription sub = subscriptions.get(ep.subscriptionId).orElse(null);
    if (sub == null) {
      int n = abandonAll(ep);
      endpoints.remove(ep.subscriptionId, ep);
      if (n > 0) {
        operatorLog.warn(SERVICE_NAME, null, null, "WEBHOOK_SUBSCRIPTION_DELETED",
            "webhook subscription " + ep.subscriptionId + " was deleted; " + n
                + " pending deliveries abandoned");
      }
      return 0;
    }
    List<Delivery> starts = new ArrayList<>();
    synchronized (ep) {
      if (!sub.enabled()) {
        return 0; // paused: its deliveries stay pending until it is enabled again
      }
      ep.disabledByDispatcher = false;
      if (ep.parked && ep.queue.size() <= maxQueued / 2) {
        refill(ep);
      }
      Instant now = clock.instant();
      Set<String> blocked = new HashSet<>();
      for (Delivery d : ep.queue.values()) {
        if (ep.calls.size() >= maxInFlightPerEndpoint) {
          break;
        }
        if (!blocked.add(d.orderingKey()) || ep.calls.containsKey(d.id())
            || d.nextAttemptAt().isAfter(now)) {
          continue;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
          inFlight.decrementAndGet();
          saturated = true;
          break;
        }
        ep.calls.put(d.id(), null);
        starts.add(d);
      }
    }
    for (Delivery d : starts) {
      send(ep, sub, d);
    }
    return starts.size();
  }

  /** Loads the endpoint's oldest pending deliveries from the store; caller holds the lock. */
  private void refill(Endpoint ep) {
    List<Delivery> pending;
    try {
      pending = store.pending(ep.subscriptionId, maxQueued);
    } catch (RuntimeException e) {
      LOG.warn("cannot load pending deliveries of endpoint {} from the store", ep.subscriptionId,
          e);
      return;
    }
    for (Delivery d : pending) {
      if (ep.queue.size() >= maxQueued) {
        break;
      }
      if (!ep.calls.containsKey(d.id())) {
        ep.queue.putIfAbsent(d.id(), d);
      }
    }
    if (pending.size() < maxQueued) {
      ep.parked = false;
      if (ep.parkReported) {
        ep.parkReported = false;
        operatorLog.info(SERVICE_NAME, null, null, "WEBHOOK_BACKPRESSURE",
            "webhook endpoint " + ep.subscriptionId + " caught up: every pending delivery is "
                + "queued again");
      }
    }
  }

  private void send(Endpoint ep, WebhookSubscription sub, Delivery d) {
    Instant at = clock.instant();
    long start = System.nanoTime();
    Call call;
    try {
      byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
      Request.Builder request = new Request.Builder().url(HttpUrl.get(sub.url().toString()))
          .post(RequestBody.create(body, JSON)).header("User-Agent", USER_AGENT);
      signer(sub).sign(d.id(), at, body).forEach(request::header);
      call = clientFor(sub.urlPolicy()).newCall(request.build());
      call.timeout().timeout(sub.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      complete(ep, d, at, start, null, e, null);
      return;
    }
    synchronized (ep) {
      ep.calls.put(d.id(), call);
    }
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        try (response) {
          complete(ep, d, at, start, response, null, c);
        }
      }

      @Override
      public void onFailure(Call c, IOException e) {
        complete(ep, d, at, start, null, e, c);
      }
    });
  }

  private WebhookSigner signer(WebhookSubscription sub) {
    SignerEntry e = signers.get(sub.id());
    if (e == null || !e.secrets().equals(sub.secrets())) {
      e = new SignerEntry(sub.secrets(),
          WebhookSigner.builder().secrets(sub.secrets()).clock(clock).build());
      signers.put(sub.id(), e);
    }
    return e.signer();
  }

  private OkHttpClient clientFor(UrlPolicy policy) {
    return clients.computeIfAbsent(policy, p -> {
      SsrfGuard guard = new SsrfGuard(http.dns(), p);
      return http.newBuilder().dns(guard).addInterceptor(guard).build();
    });
  }

  /** What one attempt came to, before it is applied to the delivery. */
  private record Result(AttemptOutcome outcome, int status, String body, boolean truncated,
      String error, Duration retryAfter) {}

  private Result classify(Response response, Throwable failure, Instant end) {
    if (response == null) {
      AttemptOutcome outcome = failure instanceof SsrfGuard.AddressRefused
          ? AttemptOutcome.ADDRESS_REFUSED
          : failure instanceof InterruptedIOException ? AttemptOutcome.TIMEOUT
              : AttemptOutcome.NETWORK_ERROR;
      String error = outcome == AttemptOutcome.TIMEOUT
          ? "no complete answer within the timeout (" + failure.getMessage() + ")"
          : failure.getClass().getSimpleName() + ": " + failure.getMessage();
      return new Result(outcome, 0, "", false, error, null);
    }
    int code = response.code();
    String body = "";
    boolean truncated = false;
    String readError = null;
    ResponseBody rb = response.body();
    if (rb != null && maxBody > 0) {
      try {
        BufferedSource source = rb.source();
        truncated = source.request(maxBody + 1L);
        Buffer buffer = source.getBuffer();
        body = buffer.readString(Math.min(buffer.size(), maxBody), StandardCharsets.UTF_8);
      } catch (IOException e) {
        readError = "reading the answer's body failed: " + e;
      }
    }
    AttemptOutcome outcome;
    String error;
    Duration retryAfter = null;
    if (code >= 200 && code < 300) {
      outcome = AttemptOutcome.SUCCEEDED;
      error = null;
    } else if (code >= 300 && code < 400) {
      outcome = AttemptOutcome.REDIRECTED;
      String location = response.header("Location");
      error = "HTTP " + code + ": redirect"
          + (location == null ? "" : " to " + Excerpt.of(location))
          + " not followed (webhook redirects are never followed; configure the final URL)";
    } else if (code == 410) {
      outcome = AttemptOutcome.GONE;
      error = "HTTP 410 Gone: the endpoint asked to receive no more webhooks";
    } else if (code == 429 || code == 503) {
      outcome = AttemptOutcome.THROTTLED;
      String header = response.header("Retry-After");
      retryAfter = RetryAfter.parse(header, end).orElse(null);
      error = "HTTP " + code + (header == null ? "" : " with Retry-After " + Excerpt.of(header));
    } else {
      outcome = AttemptOutcome.HTTP_ERROR;
      error = "HTTP " + code;
    }
    if (readError != null) {
      error = error == null ? readError : error + "; " + readError;
    }
    return new Result(outcome, code, body, truncated, error, retryAfter);
  }

  private void complete(Endpoint ep, Delivery d, Instant at, long startNanos, Response response,
      Throwable failure, Call call) {
    try {
      if (call != null && cutShort.remove(call)) {
        // cancelled by stop() (a call timeout cancels too, but is a failed attempt): the attempt
        // does not count and the delivery, still pending in the store, is resumed by start()
        synchronized (ep) {
          ep.calls.remove(d.id());
        }
      } else {
        record(ep, d, at, startNanos, response, failure);
      }
    } catch (RuntimeException e) {
      LOG.error("webhook delivery {} to endpoint {}: recording the attempt failed", d.id(),
          ep.subscriptionId, e);
      synchronized (ep) {
        ep.calls.remove(d.id());
      }
    } finally {
      released();
    }
    if (running) {
      runDue(ep);
      if (saturated) {
        runDue();
      }
    }
  }

  /** Applies one attempt's result to its delivery, the endpoint's health and the store. */
  private void record(Endpoint ep, Delivery d, Instant at, long startNanos, Response response,
      Throwable failure) {
    Instant end = clock.instant();
    Result r = classify(response, failure, end);
    Duration latency = Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos));
    DeliveryAttempt attempt = new DeliveryAttempt(d.attemptCount() + 1, at, r.outcome(),
        r.status(), latency, r.body(), r.truncated(), r.error());
    attemptCounts.get(r.outcome()).increment();
    if (meters != null) {
      meters.attempt(r.outcome(), latency.toNanos());
    }
    String disableReason = null;
    synchronized (ep) {
      ep.calls.remove(d.id());
      ep.lastAttemptAt = end;
      Delivery next;
      if (attempt.succeeded()) {
        next = d.withAttempt(attempt, DeliveryStatus.SUCCEEDED, null);
        ep.consecutiveFailures = 0;
        ep.failingSince = null;
        ep.lastSuccessAt = end;
        succeeded.increment();
      } else {
        ep.consecutiveFailures++;
        if (ep.failingSince == null) {
          ep.failingSince = at;
        }
        int made = d.roundAttempts() + 1;
        if (r.outcome() == AttemptOutcome.GONE) {
          next = d.withAttempt(attempt, DeliveryStatus.FAILED, null);
          disableReason = "it answered 410 Gone";
          failed.increment();
        } else if (ep.disabledByDispatcher) {
          next = d.withAttempt(attempt, DeliveryStatus.ABANDONED, null);
          abandoned.increment();
        } else if (made >= schedule.maxAttempts()) {
          next = d.withAttempt(attempt, DeliveryStatus.FAILED, null);
          failed.increment();
        } else {
          Duration delay = schedule.delayBefore(made + 1, ThreadLocalRandom.current().nextDouble());
          if (r.retryAfter() != null) {
            Duration asked = r.retryAfter().compareTo(maxRetryAfter) > 0
                ? maxRetryAfter : r.retryAfter();
            delay = asked.compareTo(delay) > 0 ? asked : delay;
          }
          next = d.withAttempt(attempt, DeliveryStatus.PENDING, end.plus(delay));
        }
        if (disableReason == null && !ep.disabledByDispatcher) {
          if (ep.consecutiveFailures >= disableAfterFailures) {
            disableReason = ep.consecutiveFailures + " attempts in a row failed";
          } else if (!ep.failingSince.plus(disableAfter).isAfter(end)) {
            disableReason = "every attempt failed for "
                + Duration.between(ep.failingSince, end) + " (since " + ep.failingSince + ")";
          }
        }
      }
      if (next.status() == DeliveryStatus.PENDING && running
          && ep.queue.containsKey(d.id())) {
        ep.queue.put(d.id(), next);
      } else {
        ep.queue.remove(d.id());
      }
      try {
        store.update(next);
      } catch (RuntimeException e) {
        operatorLog.error(SERVICE_NAME, null, null, "WEBHOOK_STORE_FAILED",
            "could not record attempt " + attempt.number() + " of delivery " + d.id()
                + " to endpoint " + ep.subscriptionId + " in the delivery store: " + e);
      }
    }
    if (disableReason != null) {
      disable(ep, disableReason);
    }
  }

  private void released() {
    inFlight.decrementAndGet();
    synchronized (drainMonitor) {
      drainMonitor.notifyAll();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // disabling
  // ---------------------------------------------------------------------------------------------

  private void disable(Endpoint ep, String reason) {
    AtomicBoolean changed = new AtomicBoolean();
    WebhookSubscription sub;
    try {
      sub = subscriptions.update(ep.subscriptionId, s -> {
        if (!s.enabled()) {
          return s;
        }
        changed.set(true);
        return s.toBuilder().enabled(false).build();
      });
    } catch (NoSuchElementException e) {
      return;
    }
    if (!changed.get()) {
      return;
    }
    int consecutive;
    Instant failingSince;
    synchronized (ep) {
      ep.disabledByDispatcher = true;
      consecutive = ep.consecutiveFailures;
      failingSince = ep.failingSince == null ? clock.instant() : ep.failingSince;
    }
    int n = abandonAll(ep);
    endpointsDisabled.increment();
    Instant now = clock.instant();
    WebhookEndpointDisabled event = new WebhookEndpointDisabled(
        "evt_w_" + sub.id() + "_" + now.toEpochMilli(), sub.id(), sub.url(), reason, consecutive,
        failingSince, now);
    operatorLog.warn(SERVICE_NAME, null, null, "WEBHOOK_ENDPOINT_DISABLED",
        "webhook endpoint " + sub.id() + " (" + sub.url() + ") disabled: " + reason + "; " + n
            + " pending deliveries abandoned. Fix the endpoint, enable the subscription and "
            + "redeliver with redeliverSince");
    for (Consumer<WebhookEndpointDisabled> l : disabledListeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("endpoint-disabled listener {} failed", l, e);
      }
    }
    accept(event.id(), event.type(), "webhook:" + sub.id(),
        () -> WebhookPayloads.of(event),
        sub.id(), null, null);
  }

  /** Abandons every pending delivery of the endpoint not under way; returns how many. */
  private int abandonAll(Endpoint ep) {
    int n = 0;
    synchronized (ep) {
      Set<String> skip = new HashSet<>(ep.calls.keySet());
      ep.queue.keySet().retainAll(skip);
      ep.parked = false;
      while (true) {
        List<Delivery> batch;
        try {
          batch = store.pending(ep.subscriptionId, SCAN_BATCH + skip.size());
        } catch (RuntimeException e) {
          LOG.warn("cannot read pending deliveries of endpoint {}", ep.subscriptionId, e);
          break;
        }
        int done = 0;
        for (Delivery d : batch) {
          if (skip.contains(d.id())) {
            continue;
          }
          try {
            store.update(d.abandoned());
            abandoned.increment();
            n++;
            done++;
          } catch (RuntimeException e) {
            LOG.warn("cannot abandon delivery {}", d.id(), e);
            skip.add(d.id());
          }
        }
        if (done == 0) {
          break;
        }
      }
    }
    return n;
  }

  /**
   * Adds a listener for endpoints the dispatcher disables. It is called on the thread that
   * recorded the failing attempt; keep it short. Close the returned handle to remove it.
   *
   * @param listener receives each {@link WebhookEndpointDisabled}
   * @return a handle that removes the listener
   * @throws NullPointerException if {@code listener} is null
   */
  public AutoCloseable addEndpointDisabledListener(Consumer<WebhookEndpointDisabled> listener) {
    checkNotNull(listener, "listener");
    disabledListeners.add(listener);
    return () -> disabledListeners.remove(listener);
  }

  // ---------------------------------------------------------------------------------------------
  // redelivery and history
  // ---------------------------------------------------------------------------------------------

  /**
   * Queues a delivery again, from the start of the retry schedule, due now; its id (the
   * {@code webhook-id}) stays the same, so a receiver that processed it already can recognise
   * it. A pending delivery is made due now; one being attempted is left alone.
   *
   * @param deliveryId the delivery id
   * @return the delivery as queued
   * @throws NullPointerException if {@code deliveryId} is null
   * @throws NoSuchElementException if the store holds no such delivery
   * @throws IllegalStateException if its subscription was deleted or is disabled
   */
  public Delivery redeliver(String deliveryId) {
    checkNotNull(deliveryId, "deliveryId");
    Delivery d = store.find(deliveryId).orElseThrow(() -> new NoSuchElementException(
        "no webhook delivery " + Excerpt.of(deliveryId)
            + " (unknown, or dropped by the delivery store's retention)"));
    Delivery next = requeue(d);
    redelivered.increment();
    runDue(queueOf(d.subscriptionId()));
    return next;
  }

  private Delivery requeue(Delivery d) {
    WebhookSubscription sub = subscriptions.get(d.subscriptionId()).orElseThrow(() ->
        new IllegalStateException("webhook subscription " + d.subscriptionId()
            + " was deleted; delivery " + d.id() + " cannot be redelivered"));
    checkState(sub.enabled(), "webhook subscription " + sub.id()
        + " is disabled; enable it before redelivering");
    Endpoint ep = queueOf(sub.id());
    synchronized (ep) {
      if (ep.calls.containsKey(d.id())) {
        return ep.queue.getOrDefault(d.id(), d);
      }
      Instant now = clock.instant();
      Delivery next = d.status() == DeliveryStatus.PENDING ? d.dueAt(now) : d.requeued(now);
      store.update(next);
      if (running && (ep.queue.containsKey(d.id()) || !ep.parked)) {
        ep.queue.put(d.id(), next);
      }
      return next;
    }
  }

  /**
   * Queues again every delivery to one endpoint created at or after {@code since} that is not
   * pending: failed and abandoned ones, and succeeded ones too if asked. At most 100,000 are
   * considered per call.
   *
   * @param subscriptionId the endpoint's subscription
   * @param since the earliest creation time
   * @param includeSucceeded whether deliveries that succeeded are sent again as well
   * @return how many deliveries were queued
   * @throws NullPointerException if {@code subscriptionId} or {@code since} is null
   * @throws IllegalStateException if the subscription does not exist or is disabled
   */
  public int redeliverSince(String subscriptionId, Instant since, boolean includeSucceeded) {
    checkNotNull(subscriptionId, "subscriptionId");
    checkNotNull(since, "since");
    WebhookSubscription sub = subscriptions.get(subscriptionId).orElseThrow(() ->
        new IllegalStateException("no webhook subscription " + Excerpt.of(subscriptionId)));
    checkState(sub.enabled(), "webhook subscription " + subscriptionId
        + " is disabled; enable it before redelivering");
    int n = 0;
    for (Delivery d : store.list(subscriptionId, since, REDELIVER_LIMIT)) {
      if (d.status() == DeliveryStatus.PENDING
          || (d.status() == DeliveryStatus.SUCCEEDED && !includeSucceeded)) {
        continue;
      }
      requeue(d);
      n++;
    }
    redelivered.add(n);
    if (n > 0) {
      operatorLog.info(SERVICE_NAME, null, null, null, n + " deliveries to webhook endpoint "
          + subscriptionId + " since " + since + " queued again by request");
      runDue(queueOf(subscriptionId));
    }
    return n;
  }

  /**
   * Returns a delivery with its attempts.
   *
   * @param deliveryId the delivery id (the {@code webhook-id})
   * @return the delivery, or empty
   * @throws NullPointerException if {@code deliveryId} is null
   */
  public Optional<Delivery> delivery(String deliveryId) {
    checkNotNull(deliveryId, "deliveryId");
    return store.find(deliveryId);
  }

  /**
   * Returns the delivery history of one endpoint: deliveries created at or after {@code since},
   * oldest first, each with its attempts (time, status code, latency, truncated response body,
   * error).
   *
   * @param subscriptionId the subscription
   * @param since the earliest creation time
   * @param limit at most this many, at least 1
   * @return the deliveries
   * @throws NullPointerException if {@code subscriptionId} or {@code since} is null
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  public List<Delivery> history(String subscriptionId, Instant since, int limit) {
    checkNotNull(subscriptionId, "subscriptionId");
    return store.list(subscriptionId, since, limit);
  }

  // ---------------------------------------------------------------------------------------------
  // status and metrics
  // ---------------------------------------------------------------------------------------------

  /**
   * Returns the state of one endpoint.
   *
   * @param subscriptionId the subscription
   * @return its status
   * @throws NullPointerException if {@code subscriptionId} is null
   * @throws NoSuchElementException if there is no such subscription
   */
  public WebhookEndpointStatus endpoint(String subscriptionId) {
    checkNotNull(subscriptionId, "subscriptionId");
    WebhookSubscription sub = subscriptions.get(subscriptionId).orElseThrow(() ->
        new NoSuchElementException("no webhook subscription " + Excerpt.of(subscriptionId)));
    Endpoint ep = endpoints.get(subscriptionId);
    if (ep == null) {
      return new WebhookEndpointStatus(subscriptionId, sub.enabled(), 0, 0, false, 0, null, null,
          null);
    }
    synchronized (ep) {
      return new WebhookEndpointStatus(subscriptionId, sub.enabled(), ep.queue.size(),
          ep.calls.size(), ep.parked, ep.consecutiveFailures, ep.failingSince, ep.lastAttemptAt,
          ep.lastSuccessAt);
    }
  }

  /**
   * Returns the state of every subscribed endpoint, in subscription order.
   *
   * @return the statuses
   */
  public List<WebhookEndpointStatus> endpoints() {
    List<WebhookEndpointStatus> out = new ArrayList<>();
    for (WebhookSubscription s : subscriptions.list()) {
      try {
        out.add(endpoint(s.id()));
      } catch (NoSuchElementException e) {
        // deleted meanwhile
      }
    }
    return out;
  }

  /**
   * Returns the counters: attempts by outcome, deliveries by how they ended, drops and
   * backpressure.
   *
   * @return a snapshot
   */
  public DispatcherMetrics metrics() {
    Map<AttemptOutcome, Long> attempts = new EnumMap<>(AttemptOutcome.class);
    attemptCounts.forEach((k, v) -> attempts.put(k, v.sum()));
    return new DispatcherMetrics(clock.instant(), attempts, accepted.sum(), succeeded.sum(),
        failed.sum(), abandoned.sum(), dropped.sum(), backpressured.sum(), redelivered.sum(),
        endpointsDisabled.sum(), queued(), Math.max(0, inFlight.get()));
  }

  private long queued() {
    long queued = 0;
    for (Endpoint ep : endpoints.values()) {
      synchronized (ep) {
        queued += ep.queue.size();
      }
    }
    return queued;
  }

  /** Running totals for the engine's metrics history: successful and failed attempts. */
  private DeliveryCounts outcomes() {
    long ok = 0;
    long failedAttempts = 0;
    for (Map.Entry<AttemptOutcome, LongAdder> e : attemptCounts.entrySet()) {
      if (e.getKey() == AttemptOutcome.SUCCEEDED) {
        ok += e.getValue().sum();
      } else {
        failedAttempts += e.getValue().sum();
      }
    }
    return new DeliveryCounts(ok, failedAttempts);
  }

  /**
   * Returns the store of deliveries.
   *
   * @return the store
   */
  public DeliveryStore store() {
    return store;
  }

  /**
   * Returns the operator log the dispatcher writes to: the engine's, when built with one.
   *
   * @return the log
   */
  public OperatorLog operatorLog() {
    return operatorLog;
  }

  /**
   * Returns the retry schedule.
   *
   * @return the schedule
   */
  public RetrySchedule retrySchedule() {
    return schedule;
  }

  // ---------------------------------------------------------------------------------------------
  // lifecycle
  // ---------------------------------------------------------------------------------------------

  /**
   * Returns {@value #SERVICE_NAME}.
   *
   * @return the service name
   */
  @Override
  public String name() {
    return SERVICE_NAME;
  }

  /**
   * Describes the service in one line.
   *
   * @return the description
   */
  @Override
  public String description() {
    return "delivers events to webhook endpoints, with retries and delivery history";
  }

  /**
   * Starts delivering: resumes every pending delivery held in the store, then starts the timer
   * (unless {@link Builder#manual()}). Does nothing if running.
   *
   * @throws IllegalStateException if the dispatcher was closed
   */
  @Override
  public void start() {
    int resumed = 0;
    synchronized (lifecycle) {
      checkState(!closed, "this webhook dispatcher is closed");
      if (running) {
        return;
      }
      running = true;
      for (String subscriptionId : store.subscriptionsWithPending()) {
        Endpoint ep = queueOf(subscriptionId);
        synchronized (ep) {
          List<Delivery> pending = store.pending(subscriptionId, maxQueued);
          LinkedHashMap<String, Delivery> kept = new LinkedHashMap<>(ep.queue);
          ep.queue.clear();
          pending.forEach(d -> ep.queue.put(d.id(), d));
          kept.forEach(ep.queue::putIfAbsent);
          ep.parked = pending.size() >= maxQueued;
          resumed += pending.size();
        }
      }
      if (!manual) {
        ScheduledExecutorService timer = externalScheduler;
        if (timer == null) {
          if (ownScheduler == null) {
            ownScheduler = Executors.newSingleThreadScheduledExecutor(
                r -> daemon(r, "cortex-webhooks-timer"));
          }
          timer = ownScheduler;
        }
        long tick = tickInterval.toNanos();
        ticker = timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
      }
    }
    operatorLog.info(SERVICE_NAME, null, null, null, "started"
        + (resumed > 0 ? "; resumed " + resumed + " pending deliveries from the delivery store"
            : ""));
    runDue();
  }

  private void tick() {
    try {
      runDue();
    } catch (RuntimeException e) {
      LOG.error("webhook dispatcher tick failed; it runs again next tick", e);
    }
  }

  /**
   * Stops delivering: no new attempt starts, attempts under way get up to the drain timeout to
   * finish, the rest are cut short (not counted as attempts), and every undelivered delivery stays
   * pending in the store, where {@link #start()} picks it up again. Idempotent.
   */
  @Override
  public void stop() {
    synchronized (lifecycle) {
      if (!running) {
        return;
      }
      running = false;
      if (ticker != null) {
        ticker.cancel(false);
        ticker = null;
      }
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    synchronized (drainMonitor) {
      long left;
      while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(drainMonitor, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    int cut = 0;
    for (Endpoint ep : endpoints.values()) {
      List<Call> calls;
      synchronized (ep) {
        calls = new ArrayList<>(ep.calls.values());
        ep.queue.clear();
        ep.parked = false;
        ep.parkReported = false;
      }
      for (Call c : calls) {
        if (c != null) {
          cutShort.add(c);
          c.cancel();
          cut++;
        }
      }
    }
    long pending;
    try {
      pending = store.pendingCount();
    } catch (RuntimeException e) {
      pending = -1;
    }
    operatorLog.info(SERVICE_NAME, null, null, null, "stopped; "
        + (pending >= 0 ? pending + " undelivered deliveries" : "undelivered deliveries")
        + " handed back to the delivery store"
        + (cut > 0 ? " (" + cut + " attempts under way cut short)" : ""));
  }

  /**
   * Returns whether the dispatcher is running (and, unless manual, its timer is alive).
   *
   * @return true while running
   */
  @Override
  public boolean isRunning() {
    ScheduledFuture<?> t = ticker;
    return running && (manual || (t != null && !t.isDone()));
  }

  /**
   * Stops (see {@link #stop()}), removes the engine listener added by
   * {@link Builder#engine(Cortex)}, and releases threads and connections. The store is not
   * closed: it belongs to the caller. Idempotent.
   */
  @Override
  public void close() {
    stop();
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (ownScheduler != null) {
        ownScheduler.shutdownNow();
      }
    }
    if (engineListener != null) {
      try {
        engineListener.close();
      } catch (Exception e) {
        LOG.warn("removing the webhook dispatcher's engine listener failed", e);
      }
    }
    if (historySource != null) {
      try {
        historySource.close();
      } catch (Exception e) {
        LOG.warn("removing the webhook dispatcher from the engine's metrics history failed", e);
      }
    }
    httpThreads.shutdown();
    http.connectionPool().evictAll();
    if (meters != null) {
      meters.close();
    }
  }

  /**
   * Describes the dispatcher.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "WebhookDispatcher[" + (running ? "running" : "stopped") + ", " + subscriptions.size()
        + " subscriptions, " + store + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // builder
  // ---------------------------------------------------------------------------------------------

  /**
   * Collects a dispatcher's settings; each may be set once ("already set to …"). {@link #build()}
   * validates and, with {@link #engine(Cortex)}, wires the dispatcher into the engine.
   */
  public static final class Builder {
    private final Option<Cortex> engine = new Option<>("engine", null);
    private final Option<WebhookSubscriptions> subscriptions = new Option<>("subscriptions", null);
    private final Option<DeliveryStore> store = new Option<>("store", null);
    private final Option<Clock> clock = new Option<>("clock", null);
    private final Option<OperatorLog> operatorLog = new Option<>("operatorLog", null);
    private final Option<RetrySchedule> schedule =
        new Option<>("retrySchedule", RetrySchedule.ofDefaults());
    private final Option<Duration> maxRetryAfter =
        new Option<>("maxRetryAfter", DEFAULT_MAX_RETRY_AFTER);
    private final Option<Duration> disableAfter =
        new Option<>("disableAfter", DEFAULT_DISABLE_AFTER);
    private final Option<Integer> disableAfterFailures =
        new Option<>("disableAfter consecutive failures", DEFAULT_DISABLE_AFTER_FAILURES);
    private final Option<Integer> maxInFlightPerEndpoint =
        new Option<>("maxInFlightPerEndpoint", DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT);
    private final Option<Integer> maxInFlight = new Option<>("maxInFlight", DEFAULT_MAX_IN_FLIGHT);
    private final Option<Integer> maxQueuedPerEndpoint =
        new Option<>("maxQueuedPerEndpoint", DEFAULT_MAX_QUEUED_PER_ENDPOINT);
    private final Option<Integer> maxResponseBodyBytes =
        new Option<>("maxResponseBodyBytes", DEFAULT_MAX_RESPONSE_BODY_BYTES);
    private final Option<Duration> drainTimeout =
        new Option<>("drainTimeout", DEFAULT_DRAIN_TIMEOUT);
    private final Option<Duration> tickInterval =
        new Option<>("tickInterval", DEFAULT_TICK_INTERVAL);
    private final Option<ScheduledExecutorService> scheduler = new Option<>("scheduler", null);
    private final Option<OkHttpClient> httpClient = new Option<>("httpClient", null);
    private final Option<Boolean> manual = new Option<>("manual", false);
    private final Option<Object> meterRegistry = new Option<>("meterRegistry", null);
    private final List<Consumer<WebhookEndpointDisabled>> disabledListeners = new ArrayList<>();

    private Builder() {}

    /**
     * Wires the dispatcher into an engine: {@link #build()} adds it as a listener of the engine's
     * events, {@linkplain Cortex#register(ManagedService) registers} it as the service
     * {@value #SERVICE_NAME}, which starts it, and adds its attempt outcomes (succeeded, failed)
     * to the engine's {@linkplain Cortex#metricsHistory() metrics history}. The engine's clock and
     * operator log are the defaults for {@link #clock(Clock)} and {@link #operatorLog(OperatorLog)}.
     *
     * @param cortex the engine
     * @return this builder
     * @throws NullPointerException if {@code cortex} is null
     * @throws IllegalStateException if already set
     */
    public Builder engine(Cortex cortex) {
      this.engine.set(cortex);
      return this;
    }

    /**
     * Sets the subscriptions to deliver to; required. They are read on every event and attempt,
     * so changes apply at once.
     *
     * @param subscriptions the registry
     * @return this builder
     * @throws NullPointerException if {@code subscriptions} is null
     * @throws IllegalStateException if already set
     */
    public Builder subscriptions(WebhookSubscriptions subscriptions) {
      this.subscriptions.set(subscriptions);
      return this;
    }

    /**
     * Sets where deliveries are kept; defaults to {@link InMemoryDeliveryStore#ofDefaults}.
     *
     * @param store the store; use a durable one to lose nothing across restarts
     * @return this builder
     * @throws NullPointerException if {@code store} is null
     * @throws IllegalStateException if already set
     */
    public Builder store(DeliveryStore store) {
      this.store.set(store);
      return this;
    }

    /**
     * Sets the clock for attempt times, signatures and the schedule; defaults to the engine's, or
     * {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock clock) {
      this.clock.set(clock);
      return this;
    }

    /**
     * Sets the operator log for disabled endpoints, drops, backpressure and lifecycle; defaults
     * to the engine's, or a log of its own.
     *
     * @param log the log
     * @return this builder
     * @throws NullPointerException if {@code log} is null
     * @throws IllegalStateException if already set
     */
    public Builder operatorLog(OperatorLog log) {
      this.operatorLog.set(log);
      return this;
    }

    /**
     * Sets the retry schedule; defaults to {@link RetrySchedule#ofDefaults()}.
     *
     * @param schedule the schedule
     * @return this builder
     * @throws NullPointerException if {@code schedule} is null
     * @throws IllegalStateException if already set
     */
    public Builder retrySchedule(RetrySchedule schedule) {
      this.schedule.set(schedule);
      return this;
    }

    /**
     * Sets the longest {@code Retry-After} honoured on a 429 or 503 answer; a longer one is cut
     * to it. The next attempt waits for the later of the schedule's delay and the honoured
     * {@code Retry-After}. Defaults to {@link #DEFAULT_MAX_RETRY_AFTER}.
     *
     * @param bound zero to seven days
     * @return this builder
     * @throws NullPointerException if {@code bound} is null
     * @throws IllegalArgumentException if {@code bound} is out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxRetryAfter(Duration bound) {
      checkNotNull(bound, "maxRetryAfter");
      checkArgument(!bound.isNegative() && bound.compareTo(RetrySchedule.MAX_DELAY) <= 0,
          "maxRetryAfter must be zero to " + RetrySchedule.MAX_DELAY + ", was " + bound);
      this.maxRetryAfter.set(bound);
      return this;
    }

    /**
     * Sets when an endpoint is disabled for sustained failure: when every attempt has failed for
     * {@code failingFor}, or {@code consecutiveFailures} attempts in a row failed, whichever
     * comes first. Defaults to {@link #DEFAULT_DISABLE_AFTER} and
     * {@link #DEFAULT_DISABLE_AFTER_FAILURES}.
     *
     * @param failingFor more than zero
     * @param consecutiveFailures at least 1
     * @return this builder
     * @throws NullPointerException if {@code failingFor} is null
     * @throws IllegalArgumentException if a value is out of range
     * @throws IllegalStateException if already set
     */
    public Builder disableAfter(Duration failingFor, int consecutiveFailures) {
      checkNotNull(failingFor, "failingFor");
      checkArgument(!failingFor.isNegative() && !failingFor.isZero(),
          "failingFor must be more than zero, was " + failingFor);
      checkArgument(consecutiveFailures >= 1,
          "consecutiveFailures must be at least 1, was " + consecutiveFailures);
      this.disableAfter.set(failingFor);
      this.disableAfterFailures.set(consecutiveFailures);
      return this;
    }

    /**
     * Sets how many attempts may be under way to one endpoint at once; defaults to
     * {@link #DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT}. Deliveries with the same ordering key are
     * never under way together.
     *
     * @param max 1 to 1000
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxInFlightPerEndpoint(int max) {
      checkArgument(max >= 1 && max <= 1000,
          "maxInFlightPerEndpoint must be 1 to 1000, was " + max);
      this.maxInFlightPerEndpoint.set(max);
      return this;
    }

    /**
     * Sets how many attempts may be under way in all (each holds a thread); defaults to
     * {@link #DEFAULT_MAX_IN_FLIGHT}. Endpoints only compete for these once that many attempts
     * are under way.
     *
     * @param max 1 to 100,000
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxInFlight(int max) {
      checkArgument(max >= 1 && max <= 100_000, "maxInFlight must be 1 to 100000, was " + max);
      this.maxInFlight.set(max);
      return this;
    }

    /**
     * Sets how many pending deliveries of one endpoint are held in memory; further ones wait in
     * the store (backpressure, reported). Defaults to {@link #DEFAULT_MAX_QUEUED_PER_ENDPOINT}.
     *
     * @param max 1 to 1,000,000
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxQueuedPerEndpoint(int max) {
      checkArgument(max >= 1 && max <= 1_000_000,
          "maxQueuedPerEndpoint must be 1 to 1000000, was " + max);
      this.maxQueuedPerEndpoint.set(max);
      return this;
    }

    /**
     * Sets how much of each answer's body the history keeps; defaults to
     * {@link #DEFAULT_MAX_RESPONSE_BODY_BYTES}.
     *
     * @param max 0 to {@link #MAX_RESPONSE_BODY_BYTES}
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxResponseBodyBytes(int max) {
      checkArgument(max >= 0 && max <= MAX_RESPONSE_BODY_BYTES,
          "maxResponseBodyBytes must be 0 to " + MAX_RESPONSE_BODY_BYTES + ", was " + max);
      this.maxResponseBodyBytes.set(max);
      return this;
    }

    /**
     * Sets how long {@link WebhookDispatcher#stop()} waits for attempts under way; defaults to
     * {@link #DEFAULT_DRAIN_TIMEOUT}.
     *
     * @param timeout zero to one minute
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is out of range
     * @throws IllegalStateException if already set
     */
    public Builder drainTimeout(Duration timeout) {
      checkNotNull(timeout, "drainTimeout");
      checkArgument(!timeout.isNegative() && timeout.compareTo(Duration.ofMinutes(1)) <= 0,
          "drainTimeout must be zero to 1 minute, was " + timeout);
      this.drainTimeout.set(timeout);
      return this;
    }

    /**
     * Sets how often, in real time, the timer looks for due retries; defaults to
     * {@link #DEFAULT_TICK_INTERVAL}. Ignored with {@link #manual()}.
     *
     * @param interval 1 ms to 1 minute
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is out of range
     * @throws IllegalStateException if already set
     */
    public Builder tickInterval(Duration interval) {
      checkNotNull(interval, "tickInterval");
      checkArgument(interval.toMillis() >= 1 && interval.compareTo(Duration.ofMinutes(1)) <= 0,
          "tickInterval must be 1 ms to 1 minute, was " + interval);
      this.tickInterval.set(interval);
      return this;
    }

    /**
     * Runs the timer on this executor instead of a thread of the dispatcher's own; it is not
     * shut down by the dispatcher.
     *
     * @param executor the executor
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     * @throws IllegalStateException if already set
     */
    public Builder scheduler(ScheduledExecutorService executor) {
      this.scheduler.set(executor);
      return this;
    }

    /**
     * Bases the HTTP client on this one (TLS settings, connection pool, DNS, interceptors). The
     * dispatcher derives its own from it: its own threads, no proxy, no redirects, and the SSRF
     * guard around the DNS; the given client is left unchanged.
     *
     * @param client the base client
     * @return this builder
     * @throws NullPointerException if {@code client} is null
     * @throws IllegalStateException if already set
     */
    public Builder httpClient(OkHttpClient client) {
      this.httpClient.set(client);
      return this;
    }

    /**
     * No timer: attempts start when a delivery is accepted or an attempt ends, and retries that
     * fall due as the clock moves start only on {@link WebhookDispatcher#runDue()}. For tests with
     * a manual clock.
     *
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder manual() {
      this.manual.set(true);
      return this;
    }

    /**
     * Records the dispatcher's meters in this Micrometer {@code MeterRegistry}; default none, and
     * then no Micrometer class is loaded. Micrometer is an optional dependency, so the parameter is
     * typed {@code Object}: pass an {@code io.micrometer.core.instrument.MeterRegistry}. Meters:
     * {@code cortex.webhook.deliveries} by outcome, {@code cortex.webhook.deliveries.accepted},
     * {@code cortex.webhook.attempts} (a timer: count and latency of attempts by
     * {@link AttemptOutcome}), {@code cortex.webhook.endpoints.disabled},
     * {@code cortex.webhook.deliveries.queued}, {@code cortex.webhook.attempts.active}. They are
     * removed from the registry when the dispatcher closes.
     *
     * @param registry the registry
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     * @throws IllegalArgumentException if it is not a Micrometer {@code MeterRegistry}
     * @throws IllegalStateException if already set
     */
    public Builder meterRegistry(Object registry) {
      this.meterRegistry.set(MeterRegistries.require(registry, "meterRegistry"));
      return this;
    }

    /**
     * Adds a listener for endpoints the dispatcher disables, from the start.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder onEndpointDisabled(Consumer<WebhookEndpointDisabled> listener) {
      disabledListeners.add(checkNotNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the dispatcher. With {@link #engine(Cortex)} it is also added as the engine's
     * listener and registered (and so started) as the engine's service {@value #SERVICE_NAME};
     * otherwise call {@link WebhookDispatcher#start()} and feed it events with
     * {@code cortex.addListener(dispatcher)}.
     *
     * @return the dispatcher
     * @throws IllegalStateException if {@code subscriptions} was not set, the engine already has a
     *     service named {@value #SERVICE_NAME}, or another open dispatcher records into the
     *     {@link #meterRegistry(Object) meter registry}
     */
    public WebhookDispatcher build() {
      checkState(subscriptions.get() != null, "subscriptions is required but was not set");
      if (meterRegistry.get() != null) {
        DispatcherMeters.checkFree(meterRegistry.get());
      }
      Cortex cortex = engine.get();
      Clock c = clock.get() != null ? clock.get()
          : cortex != null ? cortex.clock() : Clock.systemUTC();
      OperatorLog log = operatorLog.get() != null ? operatorLog.get()
          : cortex != null ? cortex.operatorLog() : new OperatorLog(1000, c);
      WebhookDispatcher dispatcher = new WebhookDispatcher(this, c, log);
      if (cortex != null) {
        dispatcher.engineListener = cortex.addListener(dispatcher);
        dispatcher.historySource = cortex.metricsHistory().addDeliverySource(dispatcher::outcomes);
        try {
          cortex.register(dispatcher);
        } catch (RuntimeException e) {
          dispatcher.close();
          throw e;
        }
      }
      return dispatcher;
    }
  }
}
