package io.cortex.webhooks;

/**
 * Event types Cortex emits as webhooks, and the {@link #ALL} filter. Event types are dot-separated
 * segments of {@code [A-Za-z0-9_]}, as the Standard Webhooks specification recommends.
 */
public final class WebhookEventTypes {

  /** A job moved to another state. */
  public static final String JOB_STATUS_CHANGED = "job.status.changed";

  /** A job changed without a state change: submitted, accepted by its provider, waiting. */
  public static final String JOB_UPDATED = "job.updated";

  /** A provider became available, degraded or unavailable. */
  public static final String PROVIDER_STATUS_CHANGED = "provider.status.changed";

  /** A provider's wallet or credit fell below its threshold. */
  public static final String PROVIDER_WALLET_LOW = "provider.wallet.low";

  /** A provider's credentials were refreshed or replaced. */
  public static final String PROVIDER_CREDENTIALS_UPDATED = "provider.credentials.updated";

  /** The dispatcher disabled a webhook endpoint after sustained failure or {@code 410 Gone}. */
  public static final String WEBHOOK_ENDPOINT_DISABLED = "webhook.endpoint.disabled";

  /** Filter that matches every event type. */
  public static final String ALL = "*";

  private WebhookEventTypes() {}
}
