package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;
import static io.cortex.webhooks.internal.Preconditions.checkState;

import io.cortex.webhooks.WebhookVerificationException.Reason;
import io.cortex.webhooks.internal.Ed25519Support;
import io.cortex.webhooks.internal.Excerpt;
import io.cortex.webhooks.internal.HmacSha256;
import io.cortex.webhooks.internal.SignedContent;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies webhooks signed in the Standard Webhooks wire format, by Cortex or by any conforming
 * sender.
 *
 * <p>Verification, in order: the three headers are present (names matched case-insensitively);
 * {@code webhook-timestamp} is unix seconds within the tolerance of the clock in both directions
 * (default {@link #DEFAULT_TOLERANCE}, against replay); and at least one signature in the
 * space-separated {@code webhook-signature} matches one of the verifier's keys: a {@code v1}
 * HMAC-SHA256 under any {@link WebhookSecret} (compared in constant time) or a {@code v1a} Ed25519
 * signature under any {@link WebhookPublicKey}. Signatures of other versions are skipped, as the
 * specification requires. The signed content is {@code {id}.{timestamp}.{body}} over the raw body
 * bytes: pass the body exactly as received, never re-serialized JSON.
 *
 * <p>Every failure is a {@link WebhookVerificationException} with a {@link Reason}; hostile input
 * (garbage, huge or non-ASCII headers, invalid base64, many signatures) never causes any other
 * exception. At most {@value #MAX_SIGNATURES} signatures are examined per message. Instances are
 * immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder()
 *     .secret(WebhookSecret.parse(System.getenv("CORTEX_WEBHOOK_SECRET")))
 *     .build();
 * VerifiedWebhook hook = verifier.verify(rawBody, request::getHeader);
 * }</pre>
 */
public final class WebhookVerifier {

  /** Default timestamp tolerance, in both directions: five minutes. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  /** Most signatures one {@code webhook-signature} header may carry. */
  public static final int MAX_SIGNATURES = 32;

  private static final int MAX_TIMESTAMP_DIGITS = 18;
  private static final int MIN_BASE64_CHARS = 40;
  private static final int MAX_BASE64_CHARS = 100;
  private static final int CANONICAL_V1_LENGTH = 44;

  private final List<WebhookSecret> secrets;
  private final List<WebhookPublicKey> publicKeys;
  private final HmacSha256[] macs;
  private final Duration tolerance;
  private final long toleranceSeconds;
  private final Clock clock;

  private WebhookVerifier(Builder builder) {
    this.secrets = List.copyOf(builder.secrets);
    this.publicKeys = List.copyOf(builder.publicKeys);
    this.tolerance = builder.tolerance != null ? builder.tolerance : DEFAULT_TOLERANCE;
    this.toleranceSeconds = tolerance.getSeconds();
    this.clock = builder.clock != null ? builder.clock : Clock.systemUTC();
    this.macs = new HmacSha256[secrets.size()];
    for (int i = 0; i < macs.length; i++) {
      macs[i] = new HmacSha256(secrets.get(i).keyBytes());
    }
  }

  /**
   * Returns a builder; add at least one secret or public key.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a webhook whose headers are in a map ({@code Map<String, String>},
   * {@code Map<String, List<String>>}, …), as adapted by {@link HeaderLookup#of(Map)}.
   *
   * @param body the raw request body, exactly as received
   * @param headers the request headers; names are matched case-insensitively
   * @return the verified id and timestamp
   * @throws WebhookVerificationException if verification fails, for the {@link Reason} it gives
   * @throws NullPointerException if {@code body} or {@code headers} is null
   */
  public VerifiedWebhook verify(byte[] body, Map<String, ?> headers)
      throws WebhookVerificationException {
    return verify(body, HeaderLookup.of(headers));
  }

  /**
   * Verifies a webhook whose headers are read through {@code headers}, e.g.
   * {@code request::getHeader}.
   *
   * @param body the raw request body, exactly as received
   * @param headers reads a header value by name; should match names case-insensitively
   * @return the verified id and timestamp
   * @throws WebhookVerificationException if verification fails, for the {@link Reason} it gives
   * @throws NullPointerException if {@code body} or {@code headers} is null
   */
  public VerifiedWebhook verify(byte[] body, HeaderLookup headers)
      throws WebhookVerificationException {
    checkNotNull(body, "body");
    checkNotNull(headers, "headers");
    String id = required(headers.get(WebhookHeaders.ID), WebhookHeaders.ID);
    String timestampText =
        required(headers.get(WebhookHeaders.TIMESTAMP), WebhookHeaders.TIMESTAMP);
    String signatureText = required(joined(headers.getAll(WebhookHeaders.SIGNATURE)),
        WebhookHeaders.SIGNATURE);
    long timestamp = parseTimestamp(timestampText);
    checkTolerance(timestamp);
    String version = matchSignature(id, timestamp, body, signatureText);
    return new VerifiedWebhook(id, Instant.ofEpochSecond(timestamp), version);
  }

  private static String required(String value, String header)
      throws WebhookVerificationException {
    String stripped = value == null ? "" : value.strip();
    if (stripped.isEmpty()) {
      throw new WebhookVerificationException(Reason.MISSING_HEADER, header,
          "missing header " + header + (value == null ? "" : " (present but blank)"));
    }
    return stripped;
  }

  private static String joined(List<String> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() == 1) {
      return values.get(0);
    }
    StringBuilder all = new StringBuilder();
    for (String v : values) {
      if (v != null) {
        all.append(v).append(' ');
      }
    }
    return all.toString();
  }

  private static long parseTimestamp(String text) throws WebhookVerificationException {
    boolean digits = text.length() <= MAX_TIMESTAMP_DIGITS;
    for (int i = 0; digits && i < text.length(); i++) {
      char c = text.charAt(i);
      digits = c >= '0' && c <= '9';
    }
    if (!digits) {
      throw new WebhookVerificationException(Reason.MALFORMED_TIMESTAMP, WebhookHeaders.TIMESTAMP,
          WebhookHeaders.TIMESTAMP + " must be unix seconds written as 1 to "
              + MAX_TIMESTAMP_DIGITS + " digits, but is " + Excerpt.of(text));
    }
    return Long.parseLong(text);
  }

  private void checkTolerance(long timestamp) throws WebhookVerificationException {
    long now = Math.floorDiv(clock.millis(), 1000L);
    long skew = now - timestamp;
    if (skew > toleranceSeconds) {
      throw new WebhookVerificationException(Reason.TIMESTAMP_TOO_OLD, WebhookHeaders.TIMESTAMP,
          WebhookHeaders.TIMESTAMP + " " + timestamp + " is " + skew
              + " seconds in the past, beyond the tolerance of " + toleranceSeconds
              + " seconds (replay protection; check the clocks and delivery delays)");
    }
    if (-skew > toleranceSeconds) {
      throw new WebhookVerificationException(Reason.TIMESTAMP_TOO_NEW, WebhookHeaders.TIMESTAMP,
          WebhookHeaders.TIMESTAMP + " " + timestamp + " is " + (-skew)
              + " seconds in the future, beyond the tolerance of " + toleranceSeconds
              + " seconds (check the clocks)");
    }
  }

  /** Returns the version of the matching signature, or throws. */
  private String matchSignature(String id, long timestamp, byte[] body, String header)
      throws WebhookVerificationException {
    byte[] prefix = SignedContent.prefix(id, timestamp);
    byte[][] expectedBase64 = null; // v1 tags in canonical base64, computed on the first v1
    byte[][] expectedTags = null;
    byte[] message = null; // built on the first v1a signature
    int checked = 0;
    int malformed = 0;
    String firstProblem = null;
    Set<String> unsupported = null; // versions seen that this verifier holds no key for
    int tokens = 0;
    int i = 0;
    int n = header.length();
    while (true) {
      while (i < n && isSpace(header.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      int comma = -1;
      while (i < n && !isSpace(header.charAt(i))) {
        if (comma < 0 && header.charAt(i) == ',') {
          comma = i;
        }
        i++;
      }
      int end = i;
      if (++tokens > MAX_SIGNATURES) {
        throw new WebhookVerificationException(Reason.MALFORMED_SIGNATURE,
            WebhookHeaders.SIGNATURE, WebhookHeaders.SIGNATURE + " carries more than "
                + MAX_SIGNATURES + " signatures");
      }
      if (comma <= start || comma == end - 1) {
        malformed++;
        firstProblem = firstProblem != null ? firstProblem
            : Excerpt.of(header.substring(start, end)) + " is not 'version,base64'";
        continue;
      }
      boolean v1 = comma - start == 2 && header.startsWith("v1", start) && macs.length > 0;
      boolean v1a = comma - start == 3 && header.startsWith("v1a", start)
          && !publicKeys.isEmpty();
      if (!v1 && !v1a) {
        unsupported = unsupported != null ? unsupported : new LinkedHashSet<>();
        if (unsupported.size() < 4) {
          unsupported.add(Excerpt.of(header.substring(start, comma)));
        }
        continue;
      }
      if (v1 && end - comma - 1 == CANONICAL_V1_LENGTH) {
        // hot path: compare with the canonical encoding, no decoding, no allocation
        if (expectedBase64 == null) {
          expectedBase64 = new byte[macs.length][];
          for (int k = 0; k < macs.length; k++) {
            expectedBase64[k] = Base64.getEncoder().encode(macs[k].tag(prefix, body));
          }
        }
        for (byte[] expected : expectedBase64) {
          if (constantTimeEquals(expected, header, comma + 1)) {
            return "v1";
          }
        }
      }
      String version = v1 ? "v1" : "v1a";
      byte[] signature = decode(header, comma + 1, end);
      int expectedLength = v1 ? HmacSha256.TAG_LENGTH : Ed25519Support.SIGNATURE_LENGTH;
      if (signature == null || signature.length != expectedLength) {
        malformed++;
        firstProblem = firstProblem != null ? firstProblem
            : "the " + version + " signature " + Excerpt.of(header.substring(comma + 1, end))
                + " is not base64 of " + expectedLength + " bytes";
        continue;
      }
      checked++;
      if (v1) {
        // a non-canonical encoding (e.g. unpadded): compare the decoded bytes
        if (expectedTags == null) {
          expectedTags = new byte[macs.length][];
          for (int k = 0; k < macs.length; k++) {
            expectedTags[k] = macs[k].tag(prefix, body);
          }
        }
        for (byte[] expected : expectedTags) {
          if (MessageDigest.isEqual(expected, signature)) {
            return version;
          }
        }
      } else {
        if (message == null) {
          message = SignedContent.concat(prefix, body);
        }
        for (WebhookPublicKey key : publicKeys) {
          if (Ed25519Support.verify(key.params(), message, signature)) {
            return version;
          }
        }
      }
    }
    if (checked > 0) {
      throw new WebhookVerificationException(Reason.NO_MATCHING_SIGNATURE,
          WebhookHeaders.SIGNATURE, "none of the " + checked + " " + accepted()
              + " signature(s) in " + WebhookHeaders.SIGNATURE + " matches the verifier's "
              + keysDescription() + " (wrong secret, or body altered or re-serialized?)");
    }
    if (malformed > 0) {
      throw new WebhookVerificationException(Reason.MALFORMED_SIGNATURE,
          WebhookHeaders.SIGNATURE, WebhookHeaders.SIGNATURE
              + " holds no well-formed signature to check: " + firstProblem);
    }
    if (tokens == 0) {
      throw new WebhookVerificationException(Reason.MISSING_HEADER, WebhookHeaders.SIGNATURE,
          "missing header " + WebhookHeaders.SIGNATURE + " (present but blank)");
    }
    throw new WebhookVerificationException(Reason.UNSUPPORTED_VERSION, WebhookHeaders.SIGNATURE,
        WebhookHeaders.SIGNATURE + " carries only signature version(s) "
            + String.join(", ", unsupported == null ? Set.of() : unsupported)
            + "; this verifier accepts " + accepted());
  }

  /** Compares all of {@code expected} with the characters of {@code text} from {@code from}. */
  private static boolean constantTimeEquals(byte[] expected, String text, int from) {
    int diff = 0;
    for (int k = 0; k < expected.length; k++) {
      diff |= expected[k] ^ text.charAt(from + k);
    }
    return diff == 0;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  private static byte[] decode(String header, int from, int to) {
    int length = to - from;
    if (length < MIN_BASE64_CHARS || length > MAX_BASE64_CHARS) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(header.substring(from, to));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private String accepted() {
    if (macs.length > 0 && !publicKeys.isEmpty()) {
      return "v1/v1a";
    }
    return macs.length > 0 ? "v1" : "v1a";
  }

  private String keysDescription() {
    List<String> parts = new ArrayList<>(2);
    if (!secrets.isEmpty()) {
      parts.add(secrets.size() + " secret(s)");
    }
    if (!publicKeys.isEmpty()) {
      parts.add(publicKeys.size() + " public key(s)");
    }
    return String.join(" and ", parts);
  }

  /**
   * Returns the HMAC secrets accepted for {@code v1} signatures.
   *
   * @return the secrets
   */
  public List<WebhookSecret> secrets() {
    return secrets;
  }

  /**
   * Returns the public keys accepted for {@code v1a} signatures.
   *
   * @return the public keys
   */
  public List<WebhookPublicKey> publicKeys() {
    return publicKeys;
  }

  /**
   * Returns the timestamp tolerance, applied in both directions.
   *
   * @return the tolerance
   */
  public Duration tolerance() {
    return tolerance;
  }

  /**
   * Returns the clock timestamps are compared with.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Describes the verifier without key material.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "WebhookVerifier[secrets=" + secrets + ", publicKeys=" + publicKeys
        + ", tolerance=" + tolerance + "]";
  }

  /** Collects keys, tolerance and clock; {@link #build()} copies and validates. */
  public static final class Builder {
    private final List<WebhookSecret> secrets = new ArrayList<>();
    private final List<WebhookPublicKey> publicKeys = new ArrayList<>();
    private Duration tolerance;
    private Clock clock;

    private Builder() {}

    /**
     * Adds a secret accepted for {@code v1} signatures. During rotation add both the new and the
     * old secret: a message verifies if any signature matches any secret.
     *
     * @param secret the secret
     * @return this builder
     * @throws NullPointerException if {@code secret} is null
     * @throws IllegalArgumentException if the same secret was already added
     */
    public Builder secret(WebhookSecret secret) {
      checkNotNull(secret, "secret");
      checkArgument(!secrets.contains(secret), "secret " + secret + " was already added");
      secrets.add(secret);
      return this;
    }

    /**
     * Adds several secrets accepted for {@code v1} signatures.
     *
     * @param secrets the secrets
     * @return this builder
     * @throws NullPointerException if {@code secrets} or an element is null
     * @throws IllegalArgumentException if a secret was already added
     */
    public Builder secrets(Collection<WebhookSecret> secrets) {
      checkNotNull(secrets, "secrets").forEach(this::secret);
      return this;
    }

    /**
     * Adds a public key accepted for {@code v1a} signatures.
     *
     * @param publicKey the key
     * @return this builder
     * @throws NullPointerException if {@code publicKey} is null
     * @throws IllegalArgumentException if the same key was already added
     */
    public Builder publicKey(WebhookPublicKey publicKey) {
      checkNotNull(publicKey, "publicKey");
      checkArgument(
          !publicKeys.contains(publicKey), "publicKey " + publicKey + " was already added");
      publicKeys.add(publicKey);
      return this;
    }

    /**
     * Sets how far the timestamp may be from the clock, in either direction; defaults to
     * {@link #DEFAULT_TOLERANCE}. Whole seconds count.
     *
     * @param tolerance the tolerance, at least one second
     * @return this builder
     * @throws NullPointerException if {@code tolerance} is null
     * @throws IllegalArgumentException if {@code tolerance} is shorter than one second
     * @throws IllegalStateException if the tolerance was already set
     */
    public Builder tolerance(Duration tolerance) {
      checkNotNull(tolerance, "tolerance");
      checkState(this.tolerance == null, "tolerance already set to " + this.tolerance);
      checkArgument(tolerance.getSeconds() >= 1,
          "tolerance must be at least 1 second, was " + tolerance);
      this.tolerance = tolerance;
      return this;
    }

    /**
     * Sets the clock timestamps are compared with; defaults to {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if the clock was already set
     */
    public Builder clock(Clock clock) {
      checkNotNull(clock, "clock");
      checkState(this.clock == null, "clock already set to " + this.clock);
      this.clock = clock;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return a new immutable verifier
     * @throws IllegalStateException if neither a secret nor a public key was added
     */
    public WebhookVerifier build() {
      checkState(!secrets.isEmpty() || !publicKeys.isEmpty(),
          "a WebhookVerifier needs at least one secret or public key");
      return new WebhookVerifier(this);
    }
  }
}
