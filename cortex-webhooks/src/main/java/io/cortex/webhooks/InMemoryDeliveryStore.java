package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The default {@link DeliveryStore}: deliveries in memory, lost on restart, bounded by count and
 * age.
 *
 * <p>Finished deliveries (succeeded, failed, abandoned) older than the maximum age are dropped, and
 * when the store holds its maximum count the oldest finished ones go first. Pending deliveries are
 * never dropped: when the store is full of them, {@link #insert} throws a
 * {@link DeliveryStoreException}, which the dispatcher reports as a dropped delivery. Thread-safe.
 */
public final class InMemoryDeliveryStore implements DeliveryStore {

  /** Default maximum number of deliveries. */
  public static final int DEFAULT_MAX_DELIVERIES = 100_000;

  /** Default maximum age of a finished delivery. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

  private static final int AGE_SWEEP_EVERY = 1024;

  private final int maxDeliveries;
  private final Duration maxAge;
  private final Clock clock;
  private final Map<String, Delivery> all = new LinkedHashMap<>();
  private final Map<String, LinkedHashSet<String>> pendingBySubscription = new HashMap<>();
  private long pending;
  private long insertsSinceSweep;

  private InMemoryDeliveryStore(int maxDeliveries, Duration maxAge, Clock clock) {
    this.maxDeliveries = maxDeliveries;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /**
   * Returns a store with {@link #DEFAULT_MAX_DELIVERIES} and {@link #DEFAULT_MAX_AGE}.
   *
   * @param clock the clock ages are measured with
   * @return a new, empty store
   * @throws NullPointerException if {@code clock} is null
   */
  public static InMemoryDeliveryStore ofDefaults(Clock clock) {
    return of(DEFAULT_MAX_DELIVERIES, DEFAULT_MAX_AGE, clock);
  }

  /**
   * Returns a store with the given bounds.
   *
   * @param maxDeliveries most deliveries held, at least 1
   * @param maxAge how long a finished delivery is kept after its creation, more than zero
   * @param clock the clock ages are measured with
   * @return a new, empty store
   * @throws NullPointerException if {@code maxAge} or {@code clock} is null
   * @throws IllegalArgumentException if a bound is out of range
   */
  public static InMemoryDeliveryStore of(int maxDeliveries, Duration maxAge, Clock clock) {
    checkArgument(maxDeliveries >= 1, "maxDeliveries must be at least 1, was " + maxDeliveries);
    checkNotNull(maxAge, "maxAge");
    checkArgument(!maxAge.isNegative() && !maxAge.isZero(),
        "maxAge must be more than zero, was " + maxAge);
    checkNotNull(clock, "clock");
    return new InMemoryDeliveryStore(maxDeliveries, maxAge, clock);
  }

  /**
   * {@inheritDoc}
   *
   * @throws DeliveryStoreException if the store holds its maximum of pending deliveries
   */
  @Override
  public synchronized boolean insert(Delivery delivery) {
    checkNotNull(delivery, "delivery");
    if (all.containsKey(delivery.id())) {
      return false;
    }
    if (++insertsSinceSweep >= AGE_SWEEP_EVERY || all.size() >= maxDeliveries) {
      insertsSinceSweep = 0;
      evict();
    }
    if (all.size() >= maxDeliveries) {
      throw new DeliveryStoreException("the in-memory delivery store is full: it holds "
          + all.size() + " deliveries (its maximum), " + pending + " of them pending, and "
          + "pending deliveries are never dropped");
    }
    all.put(delivery.id(), delivery);
    index(null, delivery);
    return true;
  }

  @Override
  public synchronized void update(Delivery delivery) {
    checkNotNull(delivery, "delivery");
    Delivery previous = all.get(delivery.id());
    if (previous == null && all.size() >= maxDeliveries) {
      evict();
    }
    all.put(delivery.id(), delivery);
    index(previous, delivery);
  }

  private void index(Delivery previous, Delivery next) {
    boolean was = previous != null && previous.status() == DeliveryStatus.PENDING;
    boolean is = next.status() == DeliveryStatus.PENDING;
    if (was && !is) {
      Set<String> ids = pendingBySubscription.get(previous.subscriptionId());
      ids.remove(previous.id());
      if (ids.isEmpty()) {
        pendingBySubscription.remove(previous.subscriptionId());
      }
      pending--;
    } else if (!was && is) {
      pendingBySubscription.computeIfAbsent(next.subscriptionId(), k -> new LinkedHashSet<>())
          .add(next.id());
      pending++;
    }
  }

  /**
   * Drops finished deliveries past their age and, when full, the oldest finished ones (a few
   * more than needed, so that a full store does not sweep on every insert). Deliveries are held
   * in creation order, so the sweep stops at the first young one once enough were dropped.
   */
  private void evict() {
    Instant cutoff = clock.instant().minus(maxAge);
    int excess = all.size() >= maxDeliveries ? all.size() - maxDeliveries + 1 + maxDeliveries / 100
        : 0;
    for (Iterator<Delivery> it = all.values().iterator(); it.hasNext(); ) {
      Delivery d = it.next();
      boolean old = d.createdAt().isBefore(cutoff);
      if (excess <= 0 && !old) {
        break;
      }
      if (d.status().isFinal()) {
        it.remove();
        excess--;
      }
    }
  }

  @Override
  public synchronized Optional<Delivery> find(String id) {
    checkNotNull(id, "id");
    return Optional.ofNullable(all.get(id));
  }

  @Override
  public synchronized List<Delivery> pending(String subscriptionId, int limit) {
    checkNotNull(subscriptionId, "subscriptionId");
    checkArgument(limit >= 1, "limit must be at least 1, was " + limit);
    Set<String> ids = pendingBySubscription.getOrDefault(subscriptionId, new LinkedHashSet<>());
    List<Delivery> out = new ArrayList<>(Math.min(limit, ids.size()));
    for (String id : ids) {
      if (out.size() == limit) {
        break;
      }
      out.add(all.get(id));
    }
    return out;
  }

  @Override
  public synchronized Set<String> subscriptionsWithPending() {
    return Set.copyOf(pendingBySubscription.keySet());
  }

  @Override
  public synchronized List<Delivery> list(String subscriptionId, Instant since, int limit) {
    checkNotNull(since, "since");
    checkArgument(limit >= 1, "limit must be at least 1, was " + limit);
    List<Delivery> out = new ArrayList<>();
    for (Delivery d : all.values()) {
      if (out.size() == limit) {
        break;
      }
      if ((subscriptionId == null || subscriptionId.equals(d.subscriptionId()))
          && !d.createdAt().isBefore(since)) {
        out.add(d);
      }
    }
    return out;
  }

  @Override
  public synchronized long pendingCount() {
    return pending;
  }

  @Override
  public synchronized long size() {
    return all.size();
  }

  /**
   * Describes the store by its bounds and counts.
   *
   * @return a description
   */
  @Override
  public synchronized String toString() {
    return "InMemoryDeliveryStore[" + all.size() + " deliveries, " + pending + " pending, max "
        + maxDeliveries + ", maxAge " + maxAge + "]";
  }
}
