package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import java.util.Optional;

/**
 * A webhook failed verification. The {@link #reason()} says why in a form code can branch on and
 * the message explains it to a person (untrusted header values are quoted, escaped and shortened).
 * Respond {@code 400} or {@code 401} and do not process the body.
 */
public final class WebhookVerificationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why verification failed. */
  public enum Reason {
    /** A required header is absent or blank; {@link #header()} names it. */
    MISSING_HEADER,
    /** {@code webhook-timestamp} is not a plain non-negative integer of unix seconds. */
    MALFORMED_TIMESTAMP,
    /** The timestamp is further in the past than the tolerance allows (a possible replay). */
    TIMESTAMP_TOO_OLD,
    /** The timestamp is further in the future than the tolerance allows. */
    TIMESTAMP_TOO_NEW,
    /** Well-formed signatures of a supported version are present but none matches any key. */
    NO_MATCHING_SIGNATURE,
    /** Every signature is well-formed but of a version this verifier holds no key for. */
    UNSUPPORTED_VERSION,
    /**
     * No signature of a supported version could be checked: they are not {@code version,base64},
     * not valid base64, of the wrong length, or too many.
     */
    MALFORMED_SIGNATURE
  }

  private final Reason reason;
  private final String header;

  /**
   * Creates the exception.
   *
   * @param reason why verification failed
   * @param header the header at fault, or null
   * @param message an explanation for a person
   * @throws NullPointerException if {@code reason} or {@code message} is null
   */
  public WebhookVerificationException(Reason reason, String header, String message) {
    super(checkNotNull(message, "message"));
    this.reason = checkNotNull(reason, "reason");
    this.header = header;
  }

  /**
   * Returns why verification failed.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns the header at fault, one of {@link WebhookHeaders}.
   *
   * @return the header name, or empty if no single header is at fault
   */
  public Optional<String> header() {
    return Optional.ofNullable(header);
  }
}
