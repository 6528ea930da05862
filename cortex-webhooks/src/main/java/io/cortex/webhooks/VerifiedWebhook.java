package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.time.Instant;

/**
 * What a successful {@link WebhookVerifier#verify(byte[], HeaderLookup)} vouches for.
 *
 * @param id the {@code webhook-id}: use it as an idempotency key, retries repeat it
 * @param timestamp the {@code webhook-timestamp} of the attempt
 * @param version the version of the signature that matched, {@code v1} or {@code v1a}
 */
public record VerifiedWebhook(String id, Instant timestamp, String version) {

  /**
   * Validates that no component is null.
   *
   * @param id the verified {@code webhook-id}
   * @param timestamp the verified {@code webhook-timestamp}
   * @param version {@code v1} or {@code v1a}
   * @throws NullPointerException if a component is null
   */
  public VerifiedWebhook {
    checkNotNull(id, "id");
    checkNotNull(timestamp, "timestamp");
    checkNotNull(version, "version");
  }
}
