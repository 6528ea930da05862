package io.cortex.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the {@link WebhookDispatcher} keeps every delivery it accepted, with its attempts: the
 * source of truth for what is still to be delivered and for the delivery history.
 *
 * <p>The dispatcher {@linkplain #insert inserts} each delivery synchronously while the engine's
 * event pump waits for its listener, before the engine acknowledges the event in its outbox. A
 * durable implementation (one that survives a restart, e.g. a table next to the job store)
 * therefore loses no webhook: an event is either still in the engine's outbox or already here, and
 * a dispatcher started on the same store resumes every {@link DeliveryStatus#PENDING} delivery.
 * {@link InMemoryDeliveryStore} is the default.
 *
 * <p>Implementations are thread-safe. Every method may throw {@link DeliveryStoreException} when
 * the store cannot do its work.
 */
public interface DeliveryStore extends AutoCloseable {

  /**
   * Adds a new delivery, unless one with its {@linkplain Delivery#id() id} exists (the engine
   * published the same event again): inserting is idempotent.
   *
   * @param delivery the delivery
   * @return true if added, false if a delivery with that id existed (it is left as it is)
   * @throws NullPointerException if {@code delivery} is null
   * @throws DeliveryStoreException if it cannot be stored, e.g. a bounded store is full of
   *     pending deliveries
   */
  boolean insert(Delivery delivery);

  /**
   * Replaces the delivery with the same id.
   *
   * @param delivery the new value
   * @throws NullPointerException if {@code delivery} is null
   * @throws DeliveryStoreException if it cannot be stored
   */
  void update(Delivery delivery);

  /**
   * Returns a delivery by id.
   *
   * @param id the delivery id
   * @return the delivery, or empty (unknown, or dropped by retention)
   * @throws NullPointerException if {@code id} is null
   */
  Optional<Delivery> find(String id);

  /**
   * Returns the pending deliveries of one subscription in the order they were inserted (or last
   * redelivered), at most {@code limit}.
   *
   * @param subscriptionId the subscription
   * @param limit at least 1
   * @return the oldest pending deliveries
   * @throws NullPointerException if {@code subscriptionId} is null
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  List<Delivery> pending(String subscriptionId, int limit);

  /**
   * Returns the subscriptions that have pending deliveries.
   *
   * @return the subscription ids
   */
  Set<String> subscriptionsWithPending();

  /**
   * Returns deliveries created at or after {@code since}, oldest first, at most {@code limit}.
   *
   * @param subscriptionId only this subscription's, or null for every subscription
   * @param since the earliest creation time
   * @param limit at least 1
   * @return the deliveries
   * @throws NullPointerException if {@code since} is null
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  List<Delivery> list(String subscriptionId, Instant since, int limit);

  /**
   * Returns how many deliveries are pending.
   *
   * @return the count
   */
  long pendingCount();

  /**
   * Returns how many deliveries are stored.
   *
   * @return the count
   */
  long size();

  /** Releases resources; the default does nothing. */
  @Override
  default void close() {}
}
