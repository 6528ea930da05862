package io.cortex.webhooks.internal;

import io.cortex.webhooks.AttemptOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Records a webhook dispatcher's meters in a Micrometer {@link MeterRegistry}. The only class of
 * cortex-webhooks that names a Micrometer type: loaded only when a registry is given to
 * {@code WebhookDispatcher.builder().meterRegistry(…)}.
 *
 * <p>Deliveries, endpoints disabled and the queue are read from the dispatcher's own counters; the
 * attempt timer ({@code cortex.webhook.attempts}, by outcome: a count and the latency of each
 * attempt) is recorded once per attempt.
 */
public final class DispatcherMeters {

  /** The meter whose presence says that a dispatcher records into a registry already. */
  static final String MARKER = "cortex.webhook.deliveries.accepted";

  /**
   * What the meters read: the dispatcher's counters.
   *
   * @param accepted deliveries accepted
   * @param succeeded deliveries succeeded
   * @param failed deliveries failed
   * @param abandoned deliveries abandoned
   * @param dropped deliveries the store refused
   * @param endpointsDisabled endpoints disabled
   * @param queued deliveries held in memory now
   * @param inFlight attempts under way now
   */
  public record Sources(LongAdder accepted, LongAdder succeeded, LongAdder failed,
      LongAdder abandoned, LongAdder dropped, LongAdder endpointsDisabled, LongSupplier queued,
      LongSupplier inFlight) {}

  private final MeterRegistry registry;
  private final Sources sources;
  private final Map<AttemptOutcome, Timer> attempts = new EnumMap<>(AttemptOutcome.class);
  private final List<Meter> meters = new ArrayList<>();
  private volatile boolean closed;

  private DispatcherMeters(MeterRegistry registry, Sources sources) {
    this.registry = registry;
    this.sources = sources;
  }

  /**
   * Refuses a registry that holds another open dispatcher's meters: they would keep reading it.
   *
   * @param registry a {@code MeterRegistry} (checked by the builder)
   * @throws IllegalStateException when another dispatcher records into it
   */
  public static void checkFree(Object registry) {
    MeterRegistry r = (MeterRegistry) registry;
    if (r.find(MARKER).meter() != null) {
      throw new IllegalStateException("meterRegistry " + r.getClass().getSimpleName()
          + " already holds the meters of another webhook dispatcher (" + MARKER + "); close it "
          + "first, or give each dispatcher its own registry (e.g. a CompositeMeterRegistry over the "
          + "shared one, with a common tag)");
    }
  }

  /**
   * Registers the dispatcher's meters.
   *
   * @param registry a {@code MeterRegistry}
   * @param sources the dispatcher's counters
   * @return the binding: {@link #attempt} for each attempt, {@link #close()} when the dispatcher
   *     closes
   */
  public static DispatcherMeters bind(Object registry, Sources sources) {
    DispatcherMeters m = new DispatcherMeters((MeterRegistry) registry, sources);
    m.register();
    return m;
  }

  private void register() {
    add(FunctionCounter.builder(MARKER, sources.accepted(), LongAdder::sum)
        .description("Webhook deliveries accepted: one per event and subscribed endpoint")
        .register(registry));
    delivery("SUCCEEDED", sources.succeeded());
    delivery("FAILED", sources.failed());
    delivery("ABANDONED", sources.abandoned());
    delivery("DROPPED", sources.dropped());
    for (AttemptOutcome o : AttemptOutcome.values()) {
      attempts.put(o, add(Timer.builder("cortex.webhook.attempts")
          .description("Webhook delivery attempts by outcome, timed from sending the request to "
              + "reading the answer (or the failure)")
          .tag("outcome", o.name()).register(registry)));
    }
    add(FunctionCounter.builder("cortex.webhook.endpoints.disabled", sources.endpointsDisabled(),
            LongAdder::sum)
        .description("Webhook endpoints disabled after sustained failure or 410 Gone")
        .register(registry));
    add(Gauge.builder("cortex.webhook.deliveries.queued", sources.queued(),
            s -> s.getAsLong())
        .description("Pending webhook deliveries held in memory (more may wait in the store)")
        .register(registry));
    add(Gauge.builder("cortex.webhook.attempts.active", sources.inFlight(), s -> s.getAsLong())
        .description("Webhook delivery attempts under way").register(registry));
  }

  private void delivery(String outcome, LongAdder adder) {
    add(FunctionCounter.builder("cortex.webhook.deliveries", adder, LongAdder::sum)
        .description("Webhook deliveries that ended, by outcome: SUCCEEDED, FAILED (schedule "
            + "exhausted or 410 Gone), ABANDONED (endpoint disabled or deleted), DROPPED (the "
            + "delivery store refused it)")
        .tag("outcome", outcome).register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  /**
   * Records one attempt.
   *
   * @param outcome how it ended
   * @param nanos how long it took
   */
  public void attempt(AttemptOutcome outcome, long nanos) {
    if (!closed) {
      attempts.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Removes every meter of the dispatcher from the registry. Idempotent. */
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Meter m : meters) {
      registry.remove(m);
    }
    meters.clear();
  }
}
