package io.cortex.webhooks;

/** How one delivery attempt ended. Every outcome but {@link #SUCCEEDED} is a failure. */
public enum AttemptOutcome {
  /** The endpoint answered with a 2xx status. */
  SUCCEEDED,
  /**
   * The endpoint answered with a 3xx status. Redirects are never followed (the target was not
   * checked against the {@link UrlPolicy}); the attempt is retried.
   */
  REDIRECTED,
  /** The endpoint answered {@code 410 Gone}: the delivery fails and the endpoint is disabled. */
  GONE,
  /**
   * The endpoint answered {@code 429} or {@code 503}; a {@code Retry-After} it sent is honoured
   * within the dispatcher's bound.
   */
  THROTTLED,
  /** The endpoint answered with another status (4xx, 5xx, 1xx); the attempt is retried. */
  HTTP_ERROR,
  /** No complete answer within the subscription's timeout. */
  TIMEOUT,
  /** Connecting, sending or reading failed: refused, reset, DNS failure, TLS error. */
  NETWORK_ERROR,
  /**
   * The host resolved to an address the subscription's {@link UrlPolicy} refuses (SSRF guard); no
   * connection was made. Retried, since DNS may change.
   */
  ADDRESS_REFUSED
}
