package io.cortex.webhooks;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of a {@link WebhookDispatcher} since it was built, for a metrics endpoint.
 *
 * @param timestamp when the counters were read
 * @param attempts attempts by how they ended; every outcome is present
 * @param accepted deliveries accepted (one per event and matching endpoint)
 * @param succeeded deliveries that succeeded (redeliveries included)
 * @param failed deliveries that failed: schedule exhausted, or {@code 410 Gone}
 * @param abandoned deliveries given up because their endpoint was disabled or deleted
 * @param dropped deliveries lost because the {@link DeliveryStore} refused them; each is in the
 *     operator log
 * @param backpressured deliveries that found their endpoint's queue full and wait in the store
 * @param redelivered deliveries queued again by hand
 * @param endpointsDisabled endpoints the dispatcher disabled
 * @param queued pending deliveries held in memory now
 * @param inFlight attempts under way now
 */
public record DispatcherMetrics(Instant timestamp, Map<AttemptOutcome, Long> attempts,
    long accepted, long succeeded, long failed, long abandoned, long dropped, long backpressured,
    long redelivered, long endpointsDisabled, long queued, long inFlight) {

  /**
   * Copies the attempt counts, filling in missing outcomes with zero.
   *
   * @param timestamp when read
   * @param attempts attempts by outcome
   * @param accepted deliveries accepted
   * @param succeeded deliveries succeeded
   * @param failed deliveries failed
   * @param abandoned deliveries abandoned
   * @param dropped deliveries dropped
   * @param backpressured deliveries that met a full queue
   * @param redelivered deliveries redelivered by hand
   * @param endpointsDisabled endpoints disabled
   * @param queued deliveries queued now
   * @param inFlight attempts under way now
   */
  public DispatcherMetrics {
    Map<AttemptOutcome, Long> all = new EnumMap<>(AttemptOutcome.class);
    for (AttemptOutcome o : AttemptOutcome.values()) {
      all.put(o, attempts == null ? 0L : attempts.getOrDefault(o, 0L));
    }
    attempts = Collections.unmodifiableMap(all);
  }

  /**
   * Returns how many attempts ended with {@code outcome}.
   *
   * @param outcome the outcome
   * @return the count
   */
  public long attempts(AttemptOutcome outcome) {
    return attempts.get(outcome);
  }
}
