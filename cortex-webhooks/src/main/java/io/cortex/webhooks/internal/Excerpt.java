package io.cortex.webhooks.internal;

/**
 * Renders untrusted text (header values, URLs) for an error message: bounded length, control and
 * non-ASCII characters escaped, so that hostile input can neither flood logs nor forge log lines.
 */
public final class Excerpt {

  private static final int MAX_CHARS = 48;

  private Excerpt() {}

  /**
   * Returns a quoted, escaped excerpt of {@code text} of at most about 48 characters.
   *
   * @param text untrusted text, may be null
   * @return a printable, bounded rendering such as {@code "abc\u0000…" (1234 chars)}
   */
  public static String of(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(MAX_CHARS + 24).append('"');
    int shown = Math.min(text.length(), MAX_CHARS);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (shown < text.length()) {
      out.append("…\" (").append(text.length()).append(" chars)");
    } else {
      out.append('"');
    }
    return out.toString();
  }
}
