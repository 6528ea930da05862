package io.cortex.client.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses {@code Retry-After} (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. */
public final class RetryAfter {
    /** Longer than any sane wait; a bigger delta-seconds is read as this. */
    private static final Duration FOREVER = Duration.ofDays(365);

    private RetryAfter() {}

    /**
     * The wait a {@code Retry-After} value asks for.
     *
     * @param value the header value, may be null
     * @param now the current time, to turn an HTTP-date into a wait
     * @return the wait (zero for a date in the past), or empty when the value is absent or unreadable
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() > 12) {
                return Optional.of(FOREVER);
            }
            long seconds = Long.parseLong(v);
            return Optional.of(seconds > FOREVER.toSeconds() ? FOREVER : Duration.ofSeconds(seconds));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
