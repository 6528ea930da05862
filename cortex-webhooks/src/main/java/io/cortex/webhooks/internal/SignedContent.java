package io.cortex.webhooks.internal;

import java.nio.charset.StandardCharsets;

/**
 * The Standard Webhooks signed content {@code {id}.{timestamp}.{body}}, kept as a small prefix
 * ({@code id.timestamp.}) plus the untouched body bytes.
 */
public final class SignedContent {

  private SignedContent() {}

  /**
   * Returns the UTF-8 bytes of {@code id + "." + timestamp + "."}.
   *
   * @param id the message id, as sent in {@code webhook-id}
   * @param epochSeconds the attempt timestamp, as sent in {@code webhook-timestamp}
   * @return the prefix bytes
   */
  public static byte[] prefix(String id, long epochSeconds) {
    if (epochSeconds < 0 || !isAscii(id)) {
      return (id + '.' + epochSeconds + '.').getBytes(StandardCharsets.UTF_8);
    }
    int idLength = id.length();
    int digits = 1;
    for (long t = epochSeconds; t >= 10; t /= 10) {
      digits++;
    }
    byte[] prefix = new byte[idLength + digits + 2];
    for (int i = 0; i < idLength; i++) {
      prefix[i] = (byte) id.charAt(i);
    }
    prefix[idLength] = '.';
    long t = epochSeconds;
    for (int i = idLength + digits; i > idLength; i--) {
      prefix[i] = (byte) ('0' + (int) (t % 10));
      t /= 10;
    }
    prefix[prefix.length - 1] = '.';
    return prefix;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code prefix} and {@code body} as one array, for Ed25519, which needs the whole
   * message at once.
   *
   * @param prefix the prefix from {@link #prefix(String, long)}
   * @param body the raw body
   * @return a new array holding both
   */
  public static byte[] concat(byte[] prefix, byte[] body) {
    byte[] message = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, message, 0, prefix.length);
    System.arraycopy(body, 0, message, prefix.length, body.length);
    return message;
  }
}
