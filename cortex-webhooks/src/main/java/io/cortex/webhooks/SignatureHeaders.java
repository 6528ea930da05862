package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The three Standard Webhooks headers of one signed delivery attempt, as produced by
 * {@link WebhookSigner}.
 *
 * @param id the {@code webhook-id} value, stable across retries of one message
 * @param timestamp the {@code webhook-timestamp} value: unix seconds of this attempt
 * @param signature the {@code webhook-signature} value: space-separated {@code v1,…}/{@code v1a,…}
 */
public record SignatureHeaders(String id, long timestamp, String signature) {

  /**
   * Validates that no component is null.
   *
   * @param id the {@code webhook-id} value
   * @param timestamp the {@code webhook-timestamp} value, unix seconds
   * @param signature the {@code webhook-signature} value
   * @throws NullPointerException if {@code id} or {@code signature} is null
   */
  public SignatureHeaders {
    checkNotNull(id, "id");
    checkNotNull(signature, "signature");
  }

  /**
   * Returns the attempt time as an instant.
   *
   * @return {@link #timestamp()} as an {@link Instant}
   */
  public Instant attemptTime() {
    return Instant.ofEpochSecond(timestamp);
  }

  /**
   * Returns the headers as an ordered, unmodifiable map from {@link WebhookHeaders} names to values.
   *
   * @return {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}
   */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>(4);
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  /**
   * Passes each header name and value to {@code sink}, e.g. {@code headers.forEach(request::header)}.
   *
   * @param sink receives name and value
   * @throws NullPointerException if {@code sink} is null
   */
  public void forEach(BiConsumer<String, String> sink) {
    checkNotNull(sink, "sink");
    sink.accept(WebhookHeaders.ID, id);
    sink.accept(WebhookHeaders.TIMESTAMP, Long.toString(timestamp));
    sink.accept(WebhookHeaders.SIGNATURE, signature);
  }
}
