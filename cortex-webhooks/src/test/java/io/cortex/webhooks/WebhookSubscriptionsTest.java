package io.cortex.webhooks;

import static io.cortex.webhooks.Subscriptions.aSubscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebhookSubscriptionsTest {

  private final WebhookSubscriptions registry = new WebhookSubscriptions();

  @Test
  void createdSubscriptionsAreListedInCreationOrderAndFoundById() {
    WebhookSubscription b = registry.create(aSubscription().id("b").build());
    WebhookSubscription a = registry.create(aSubscription().id("a").build());

    assertThat(registry.list()).containsExactly(b, a);
    assertThat(registry.get("a")).contains(a);
    assertThat(registry.get("missing")).isEmpty();
    assertThat(registry.size()).isEqualTo(2);
  }

  @Test
  void creatingADuplicateIdIsRefused() {
    registry.create(aSubscription().id("dup").build());

    assertThatThrownBy(() -> registry.create(aSubscription().id("dup").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a webhook subscription with id dup already exists");
  }

  @Test
  void updateReplacesInPlace() {
    registry.create(aSubscription().id("first").build());
    registry.create(aSubscription().id("second").build());

    WebhookSubscription disabled =
        registry.update("first", s -> s.toBuilder().enabled(false).build());

    assertThat(disabled.enabled()).isFalse();
    assertThat(registry.list()).extracting(WebhookSubscription::id)
        .containsExactly("first", "second");
    assertThat(registry.get("first")).contains(disabled);
  }

  @Test
  void updateOfAnUnknownIdOrChangingTheIdIsRefused() {
    registry.create(aSubscription().id("known").build());

    assertThatThrownBy(() -> registry.update(aSubscription().id("unknown").build()))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("no webhook subscription with id unknown");
    assertThatThrownBy(() -> registry.update("known", s -> aSubscription().id("other").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an update must keep the id known, but changed it to other");
    assertThat(registry.list()).extracting(WebhookSubscription::id).containsExactly("known");
  }

  @Test
  void deleteRemovesAndReturnsTheSubscription() {
    WebhookSubscription s = registry.create(aSubscription().id("gone").build());

    assertThat(registry.delete("gone")).contains(s);
    assertThat(registry.delete("gone")).isEmpty();
    assertThat(registry.list()).isEmpty();
  }

  @Test
  void matchingReturnsEnabledSubscriptionsWhoseFiltersMatch() {
    registry.create(aSubscription().id("jobs").build());
    registry.create(aSubscription().id("all").eventTypes("*").build());
    registry.create(aSubscription().id("off").eventTypes("*").enabled(false).build());
    registry.create(aSubscription().id("wallet").eventTypes("provider.wallet.low").build());

    assertThat(registry.matching("job.status.changed")).extracting(WebhookSubscription::id)
        .containsExactly("jobs", "all");
    assertThat(registry.matching("provider.wallet.low")).extracting(WebhookSubscription::id)
        .containsExactly("all", "wallet");
  }

  @Test
  void listIsASnapshotUnaffectedByLaterWrites() {
    registry.create(aSubscription().id("one").build());
    List<WebhookSubscription> before = registry.list();

    registry.create(aSubscription().id("two").build());

    assertThat(before).hasSize(1);
    assertThatThrownBy(() -> before.add(aSubscription().build()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void concurrentUpdatesAreNotLost() throws Exception {
    registry.create(aSubscription().id("counter").description("0").build());
    int threads = 4;
    int updatesPerThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < updatesPerThread; i++) {
            registry.update("counter", s -> s.toBuilder()
                .description(Integer.toString(Integer.parseInt(s.description()) + 1)).build());
            registry.create(aSubscription().id("t" + thread + "_" + i).build());
            registry.list();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(registry.get("counter").orElseThrow().description())
        .isEqualTo(Integer.toString(threads * updatesPerThread));
    assertThat(registry.size()).isEqualTo(1 + threads * updatesPerThread);
  }
}
