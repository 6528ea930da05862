package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * When the {@link WebhookDispatcher} attempts a delivery: the delay before each attempt, counted
 * from the failure of the one before (the first delay from acceptance), with random jitter.
 *
 * <p>The default, {@link #ofDefaults()}, is the Standard Webhooks schedule: immediately, then 5
 * seconds, 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours and 10 hours after each failure:
 * eight attempts over about 27.6 hours, each delay varied by up to ±20% so that endpoints coming
 * back after an outage are not hit by every retry at once. Immutable and thread-safe.
 */
public final class RetrySchedule {

  /** Default jitter: each delay is varied by up to ±20%. */
  public static final double DEFAULT_JITTER = 0.2;

  /** Most attempts a schedule may have. */
  public static final int MAX_ATTEMPTS = 50;

  /** Longest delay between two attempts. */
  public static final Duration MAX_DELAY = Duration.ofDays(7);

  private static final RetrySchedule DEFAULTS = new RetrySchedule(List.of(Duration.ZERO,
      Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
      Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)), DEFAULT_JITTER);

  private final List<Duration> delays;
  private final double jitter;

  private RetrySchedule(List<Duration> delays, double jitter) {
    this.delays = delays;
    this.jitter = jitter;
  }

  /**
   * Returns the default schedule: 0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, with
   * {@link #DEFAULT_JITTER}.
   *
   * @return the default schedule
   */
  public static RetrySchedule ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Returns a schedule with {@link #DEFAULT_JITTER}.
   *
   * @param delays the delay before each attempt; the first is usually zero
   * @return the schedule
   * @throws NullPointerException if {@code delays} or an element is null
   * @throws IllegalArgumentException if a rule of {@link #of(List, double)} is broken
   */
  public static RetrySchedule of(Duration... delays) {
    return of(Arrays.asList(checkNotNull(delays, "delays")), DEFAULT_JITTER);
  }

  /**
   * Returns a schedule.
   *
   * @param delays the delay before each attempt: 1 to {@value #MAX_ATTEMPTS} delays, each zero to
   *     {@link #MAX_DELAY}
   * @param jitter how much each delay varies at random, as a fraction: 0 (none) up to but
   *     excluding 1
   * @return the schedule
   * @throws NullPointerException if {@code delays} or an element is null
   * @throws IllegalArgumentException if there are no or too many delays, a delay is out of range,
   *     or {@code jitter} is out of range
   */
  public static RetrySchedule of(List<Duration> delays, double jitter) {
    checkNotNull(delays, "delays");
    checkArgument(!delays.isEmpty() && delays.size() <= MAX_ATTEMPTS,
        "a retry schedule has 1 to " + MAX_ATTEMPTS + " delays, but " + delays.size()
            + " were given");
    for (int i = 0; i < delays.size(); i++) {
      Duration d = checkNotNull(delays.get(i), "delays element " + i);
      checkArgument(!d.isNegative() && d.compareTo(MAX_DELAY) <= 0,
          "delay " + i + " must be zero to " + MAX_DELAY + ", was " + d);
    }
    checkArgument(jitter >= 0 && jitter < 1,
        "jitter must be at least 0 and less than 1, was " + jitter);
    return new RetrySchedule(List.copyOf(delays), jitter);
  }

  /**
   * Returns this schedule with another jitter.
   *
   * @param newJitter 0 up to but excluding 1
   * @return the schedule
   * @throws IllegalArgumentException if {@code newJitter} is out of range
   */
  public RetrySchedule withJitter(double newJitter) {
    return of(delays, newJitter);
  }

  /**
   * Returns the nominal delays, before jitter.
   *
   * @return the delay before each attempt
   */
  public List<Duration> delays() {
    return delays;
  }

  /**
   * Returns the jitter fraction.
   *
   * @return 0 up to but excluding 1
   */
  public double jitter() {
    return jitter;
  }

  /**
   * Returns how many attempts a delivery gets before it fails.
   *
   * @return the number of delays
   */
  public int maxAttempts() {
    return delays.size();
  }

  /**
   * Returns the shortest delay the jitter may give before attempt {@code attempt}.
   *
   * @param attempt 1 to {@link #maxAttempts()}
   * @return the nominal delay less the jitter
   * @throws IllegalArgumentException if {@code attempt} is out of range
   */
  public Duration minDelayBefore(int attempt) {
    return delayBefore(attempt, 0);
  }

  /**
   * Returns the longest delay the jitter may give before attempt {@code attempt}.
   *
   * @param attempt 1 to {@link #maxAttempts()}
   * @return the nominal delay plus the jitter
   * @throws IllegalArgumentException if {@code attempt} is out of range
   */
  public Duration maxDelayBefore(int attempt) {
    return delayBefore(attempt, 1);
  }

  /**
   * The delay before attempt {@code attempt}, with {@code random} in [0, 1] placing it between the
   * least and the most the jitter allows.
   */
  Duration delayBefore(int attempt, double random) {
    checkArgument(attempt >= 1 && attempt <= delays.size(),
        "attempt must be 1 to " + delays.size() + ", was " + attempt);
    Duration nominal = delays.get(attempt - 1);
    if (jitter == 0 || nominal.isZero()) {
      return nominal;
    }
    double factor = 1 + jitter * (2 * random - 1);
    return Duration.ofNanos(Math.round(nominal.toNanos() * factor));
  }

  /**
   * Compares delays and jitter.
   *
   * @param o another object
   * @return true if {@code o} is an equal schedule
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof RetrySchedule
        && ((RetrySchedule) o).delays.equals(delays)
        && Double.compare(((RetrySchedule) o).jitter, jitter) == 0;
  }

  /**
   * Returns a hash of delays and jitter.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return delays.hashCode() * 31 + Double.hashCode(jitter);
  }

  /**
   * Describes the schedule.
   *
   * @return e.g. {@code RetrySchedule[PT0S, PT5S, PT5M, …; jitter 0.2]}
   */
  @Override
  public String toString() {
    return "RetrySchedule" + delays + "; jitter " + jitter;
  }
}
