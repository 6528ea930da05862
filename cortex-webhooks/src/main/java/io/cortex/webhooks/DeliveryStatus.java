package io.cortex.webhooks;

/** Where one {@link Delivery} stands. */
public enum DeliveryStatus {
  /** Accepted and not yet delivered: waiting for its next attempt, or being attempted. */
  PENDING,
  /** The endpoint answered an attempt with a 2xx status. */
  SUCCEEDED,
  /**
   * Every attempt of the retry schedule failed, or the endpoint answered {@code 410 Gone}; see the
   * last {@linkplain Delivery#attempts() attempt}.
   */
  FAILED,
  /**
   * Given up without exhausting the schedule because the endpoint was disabled after sustained
   * failure or its subscription was deleted. Redeliver it once the endpoint works again.
   */
  ABANDONED;

  /**
   * Returns whether no further attempt is planned.
   *
   * @return true unless {@link #PENDING}
   */
  public boolean isFinal() {
    return this != PENDING;
  }
}
