package io.cortex.webhooks.internal;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.util.Base64;

/**
 * Reads and writes the prefixed base64 text form of Standard Webhooks keys ({@code whsec_},
 * {@code whsk_}, {@code whpk_}). Error messages never echo the key text.
 */
public final class KeyText {

  private KeyText() {}

  /**
   * Decodes {@code prefix + base64(bytes)}; surrounding whitespace (a stray newline in an
   * environment variable) is ignored.
   *
   * @param text the text form
   * @param prefix the required prefix, e.g. {@code whsec_}
   * @param what what the text is, for messages, e.g. "webhook secret"
   * @return the decoded bytes
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if the prefix is missing or the rest is not base64
   */
  public static byte[] decode(String text, String prefix, String what) {
    checkNotNull(text, what);
    String trimmed = text.strip();
    checkArgument(
        trimmed.startsWith(prefix),
        what + " must start with '" + prefix + "' followed by base64 (Standard Webhooks format)");
    String base64 = trimmed.substring(prefix.length());
    checkArgument(!base64.isEmpty(), what + " has nothing after '" + prefix + "'");
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      // the JDK message can quote the offending character; do not pass it on
      throw new IllegalArgumentException(
          what + " must be standard base64 (A-Z a-z 0-9 + /, optional '=' padding) after '"
              + prefix + "'");
    }
  }

  /**
   * Returns {@code prefix + base64(bytes)}.
   *
   * @param prefix e.g. {@code whsec_}
   * @param bytes the key bytes
   * @return the text form
   */
  public static String encode(String prefix, byte[] bytes) {
    return prefix + Base64.getEncoder().encodeToString(bytes);
  }
}
