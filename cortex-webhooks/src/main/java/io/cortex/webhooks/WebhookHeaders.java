package io.cortex.webhooks;

/** Names of the Standard Webhooks HTTP headers, in the lower case the specification uses. */
public final class WebhookHeaders {

  /** Unique message id, stable across retries of one event: the receiver's idempotency key. */
  public static final String ID = "webhook-id";

  /** Unix time in seconds of this delivery attempt. */
  public static final String TIMESTAMP = "webhook-timestamp";

  /** Space-separated list of {@code version,base64} signatures. */
  public static final String SIGNATURE = "webhook-signature";

  private WebhookHeaders() {}
}
