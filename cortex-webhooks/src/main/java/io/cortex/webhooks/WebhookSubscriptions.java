package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;
import static io.cortex.webhooks.internal.Preconditions.checkState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A thread-safe, in-memory registry of {@link WebhookSubscription}s keyed by id, in creation
 * order.
 *
 * <p>Reads ({@link #get}, {@link #list}, {@link #matching}) are lock-free over an immutable
 * snapshot, so the dispatcher can call {@link #matching(String)} per event cheaply; writes are
 * serialised and each publishes a new snapshot.
 */
public final class WebhookSubscriptions {

  private final Object writeLock = new Object();
  private volatile Map<String, WebhookSubscription> snapshot = Map.of();

  /** Creates an empty registry. */
  public WebhookSubscriptions() {}

  /**
   * Adds a subscription.
   *
   * @param subscription the subscription
   * @return {@code subscription}
   * @throws NullPointerException if {@code subscription} is null
   * @throws IllegalStateException if a subscription with the same id exists
   */
  public WebhookSubscription create(WebhookSubscription subscription) {
    checkNotNull(subscription, "subscription");
    synchronized (writeLock) {
      checkState(!snapshot.containsKey(subscription.id()),
          "a webhook subscription with id " + subscription.id() + " already exists");
      Map<String, WebhookSubscription> next = new LinkedHashMap<>(snapshot);
      next.put(subscription.id(), subscription);
      snapshot = Collections.unmodifiableMap(next);
    }
    return subscription;
  }

  /**
   * Replaces the subscription with the same id, keeping its position.
   *
   * @param subscription the new value
   * @return {@code subscription}
   * @throws NullPointerException if {@code subscription} is null
   * @throws NoSuchElementException if no subscription has its id
   */
  public WebhookSubscription update(WebhookSubscription subscription) {
    checkNotNull(subscription, "subscription");
    return update(subscription.id(), current -> subscription);
  }

  /**
   * Atomically changes the subscription {@code id}: {@code change} receives the current value and
   * returns the new one, typically {@code s -> s.toBuilder().enabled(false).build()}. It runs
   * while writes are held off, so keep it short and free of side effects.
   *
   * @param id the subscription id
   * @param change computes the new value from the current one
   * @return the new value
   * @throws NullPointerException if an argument is null or {@code change} returns null
   * @throws NoSuchElementException if no subscription has that id
   * @throws IllegalArgumentException if {@code change} returns a subscription with another id
   */
  public WebhookSubscription update(String id, UnaryOperator<WebhookSubscription> change) {
    checkNotNull(id, "id");
    checkNotNull(change, "change");
    synchronized (writeLock) {
      WebhookSubscription current = snapshot.get(id);
      if (current == null) {
        throw new NoSuchElementException("no webhook subscription with id " + id);
      }
      WebhookSubscription updated = checkNotNull(change.apply(current), "updated subscription");
      checkArgument(updated.id().equals(id),
          "an update must keep the id " + id + ", but changed it to " + updated.id());
      Map<String, WebhookSubscription> next = new LinkedHashMap<>(snapshot);
      next.put(id, updated);
      snapshot = Collections.unmodifiableMap(next);
      return updated;
    }
  }

  /**
   * Removes the subscription {@code id}.
   *
   * @param id the subscription id
   * @return the removed subscription, or empty if there was none
   * @throws NullPointerException if {@code id} is null
   */
  public Optional<WebhookSubscription> delete(String id) {
    checkNotNull(id, "id");
    synchronized (writeLock) {
      if (!snapshot.containsKey(id)) {
        return Optional.empty();
      }
      Map<String, WebhookSubscription> next = new LinkedHashMap<>(snapshot);
      WebhookSubscription removed = next.remove(id);
      snapshot = Collections.unmodifiableMap(next);
      return Optional.of(removed);
    }
  }

  /**
   * Returns the subscription {@code id}.
   *
   * @param id the subscription id
   * @return the subscription, or empty
   * @throws NullPointerException if {@code id} is null
   */
  public Optional<WebhookSubscription> get(String id) {
    checkNotNull(id, "id");
    return Optional.ofNullable(snapshot.get(id));
  }

  /**
   * Returns every subscription, in creation order.
   *
   * @return an immutable snapshot
   */
  public List<WebhookSubscription> list() {
    return List.copyOf(snapshot.values());
  }

  /**
   * Returns the enabled subscriptions whose filters match {@code eventType}, in creation order.
   *
   * @param eventType a concrete event type
   * @return an immutable list, possibly empty
   * @throws NullPointerException if {@code eventType} is null
   */
  public List<WebhookSubscription> matching(String eventType) {
    checkNotNull(eventType, "eventType");
    List<WebhookSubscription> result = new ArrayList<>();
    for (WebhookSubscription s : snapshot.values()) {
      if (s.enabled() && s.matches(eventType)) {
        result.add(s);
      }
    }
    return List.copyOf(result);
  }

  /**
   * Returns how many subscriptions there are.
   *
   * @return the count
   */
  public int size() {
    return snapshot.size();
  }

  /**
   * Describes the registry by its ids.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "WebhookSubscriptions" + snapshot.keySet();
  }
}
