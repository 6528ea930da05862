package io.cortex.webhooks;

/** Test data builders for subscriptions. */
final class Subscriptions {

  static final WebhookSecret SECRET = WebhookSecret.parse(SpecVectors.SECRET);

  private Subscriptions() {}

  /**
   * A builder holding a valid subscription with a fresh id; since its values are inherited (as
   * from {@code toBuilder()}), a test may override each once.
   */
  static WebhookSubscription.Builder aSubscription() {
    return WebhookSubscription.builder()
        .url("https://hooks.example.com/cortex")
        .eventTypes(WebhookEventTypes.JOB_STATUS_CHANGED)
        .secrets(SECRET)
        .build()
        .toBuilder();
  }
}
