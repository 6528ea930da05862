package io.cortex.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryDeliveryStoreTest {

  private final ManualClock clock = new ManualClock();

  private Delivery pending(String id, String subscription) {
    return Delivery.pending(id, subscription, "evt_" + id, "job.updated", "job_" + id, "{}",
        clock.instant());
  }

  private static Delivery finished(Delivery d) {
    return new Delivery(d.id(), d.subscriptionId(), d.eventId(), d.eventType(), d.orderingKey(),
        d.payload(), d.createdAt(), DeliveryStatus.SUCCEEDED, null, 1, d.attempts());
  }

  @Test
  void insertIsIdempotentByIdAndPendingComeInInsertionOrderPerSubscription() {
    InMemoryDeliveryStore store = InMemoryDeliveryStore.ofDefaults(clock);

    assertThat(store.insert(pending("a", "s1"))).isTrue();
    assertThat(store.insert(pending("b", "s2"))).isTrue();
    assertThat(store.insert(pending("c", "s1"))).isTrue();
    assertThat(store.insert(pending("a", "s1"))).isFalse();
    store.update(finished(store.find("a").orElseThrow()));

    assertThat(store.pending("s1", 10)).extracting(Delivery::id).containsExactly("c");
    assertThat(store.subscriptionsWithPending()).containsExactlyInAnyOrder("s1", "s2");
    assertThat(store.pendingCount()).isEqualTo(2);
    assertThat(store.list("s1", Instant.EPOCH, 10)).extracting(Delivery::id)
        .containsExactly("a", "c");
    assertThat(store.list(null, Instant.EPOCH, 2)).extracting(Delivery::id)
        .containsExactly("a", "b");
  }

  @Test
  void finishedDeliveriesAreDroppedByCountAndAgeButPendingOnesNever() {
    InMemoryDeliveryStore store = InMemoryDeliveryStore.of(3, Duration.ofHours(1), clock);
    store.insert(pending("old", "s"));
    store.update(finished(store.find("old").orElseThrow()));
    store.insert(pending("p1", "s"));
    store.insert(pending("p2", "s"));

    store.insert(pending("p3", "s"));   // full: the finished one goes

    assertThat(store.find("old")).isEmpty();
    assertThat(store.size()).isEqualTo(3);
    assertThatThrownBy(() -> store.insert(pending("p4", "s")))
        .isInstanceOf(DeliveryStoreException.class)
        .hasMessageContaining("full").hasMessageContaining("3 of them pending");
    assertThat(store.pendingCount()).isEqualTo(3);
  }

  @Test
  void finishedDeliveriesOlderThanTheMaximumAgeGoFirst() {
    InMemoryDeliveryStore store = InMemoryDeliveryStore.of(2, Duration.ofHours(1), clock);
    store.insert(pending("a", "s"));
    store.update(finished(store.find("a").orElseThrow()));
    clock.advance(Duration.ofMinutes(30));
    store.insert(pending("b", "s"));
    store.update(finished(store.find("b").orElseThrow()));
    clock.advance(Duration.ofMinutes(45));

    store.insert(pending("c", "s"));

    assertThat(store.find("a")).as("75 minutes old").isEmpty();
    assertThat(store.find("b")).as("45 minutes old").isPresent();
  }

  @Test
  void boundsAreValidated() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InMemoryDeliveryStore.of(0, Duration.ofHours(1), clock))
        .withMessageContaining("maxDeliveries");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InMemoryDeliveryStore.of(1, Duration.ZERO, clock))
        .withMessageContaining("maxAge");
  }
}
