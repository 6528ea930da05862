package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One attempt of a {@link Delivery}, as kept in its history.
 *
 * @param number 1 for the first attempt, counting every attempt of the delivery, redeliveries
 *     included
 * @param at when the attempt started (the {@code webhook-timestamp} it was signed with)
 * @param outcome how it ended
 * @param statusCode the HTTP status of the answer, or 0 when there was none
 * @param latency from sending the request to the end of reading the answer (or the failure),
 *     measured in real time
 * @param responseBody the start of the answer's body, decoded as UTF-8, at most the dispatcher's
 *     limit (a few KiB); empty when there was none
 * @param responseBodyTruncated whether the body was longer than what is kept
 * @param error what went wrong, in words, or null when the attempt succeeded
 */
public record DeliveryAttempt(int number, Instant at, AttemptOutcome outcome, int statusCode,
    Duration latency, String responseBody, boolean responseBodyTruncated, String error) {

  /**
   * Validates.
   *
   * @param number at least 1
   * @param at when
   * @param outcome how it ended
   * @param statusCode 0, or 100 to 599
   * @param latency not negative
   * @param responseBody the kept body, not null
   * @param responseBodyTruncated whether the body was cut
   * @param error a description, or null
   * @throws NullPointerException if {@code at}, {@code outcome}, {@code latency} or
   *     {@code responseBody} is null
   * @throws IllegalArgumentException if {@code number}, {@code statusCode} or {@code latency} is
   *     out of range
   */
  public DeliveryAttempt {
    checkArgument(number >= 1, "number must be at least 1, was " + number);
    checkNotNull(at, "at");
    checkNotNull(outcome, "outcome");
    checkArgument(statusCode == 0 || (statusCode >= 100 && statusCode <= 599),
        "statusCode must be 0 or 100 to 599, was " + statusCode);
    checkNotNull(latency, "latency");
    checkArgument(!latency.isNegative(), "latency must not be negative, was " + latency);
    checkNotNull(responseBody, "responseBody");
  }

  /**
   * Returns whether the attempt succeeded.
   *
   * @return true for {@link AttemptOutcome#SUCCEEDED}
   */
  public boolean succeeded() {
    return outcome == AttemptOutcome.SUCCEEDED;
  }

  /**
   * Returns the error, if the attempt failed.
   *
   * @return the error, or empty
   */
  public Optional<String> errorMessage() {
    return Optional.ofNullable(error);
  }
}
