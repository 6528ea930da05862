package io.cortex.webhooks.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads a {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110, section 10.2.3). */
public final class RetryAfter {

  private static final int MAX_LENGTH = 64;

  private RetryAfter() {}

  /**
   * Returns the delay a {@code Retry-After} value asks for.
   *
   * @param value the header value, or null
   * @param now the current time, for an HTTP-date
   * @return the delay, zero for a date in the past, or empty when absent or unreadable
   */
  public static Optional<Duration> parse(String value, Instant now) {
    if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String v = value.trim();
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      if (v.length() > 12) {
        return Optional.of(Duration.ofSeconds(999_999_999_999L));
      }
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
