package io.cortex.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Message ids ({@code webhook-id}) derived from the event and the subscription, so one event sent
 * to one endpoint always carries the same id: on retries, on redelivery, and when the engine
 * publishes the event again after a crash.
 */
public final class MessageIds {

  private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private MessageIds() {}

  /**
   * Returns {@code msg_} and 26 base32 characters of SHA-256 over the two ids.
   *
   * @param eventId the event id
   * @param subscriptionId the subscription id
   * @return the message id
   */
  public static String of(String eventId, String subscriptionId) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    sha.update(eventId.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    byte[] digest = sha.digest(subscriptionId.getBytes(StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder(30).append("msg_");
    int buffer = 0;
    int bits = 0;
    int i = 0;
    while (out.length() < 30) {
      if (bits < 5) {
        buffer = (buffer << 8) | (digest[i++] & 0xff);
        bits += 8;
      }
      out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
      bits -= 5;
    }
    return out.toString();
  }
}
