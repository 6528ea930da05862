package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;
import static io.cortex.webhooks.internal.Preconditions.checkState;

import io.cortex.webhooks.internal.Ed25519Support;
import io.cortex.webhooks.internal.HmacSha256;
import io.cortex.webhooks.internal.SignedContent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * Signs webhook deliveries in the Standard Webhooks wire format.
 *
 * <p>The signed content is {@code {id}.{timestamp}.{body}} over the raw body bytes. Each
 * {@link WebhookSecret} contributes a {@code v1,<base64 HMAC-SHA256>} signature and each
 * {@link WebhookSigningKey} a {@code v1a,<base64 Ed25519>} signature, space-separated in the
 * {@code webhook-signature} header in the order they were added: during secret rotation, configure
 * the new and the old secret and receivers holding either will verify.
 *
 * <p>Sign each delivery attempt anew with the same message id: the timestamp is the time of the
 * attempt, taken from the configured {@link Clock}. Instances are immutable and thread-safe; the
 * HMAC keys are prepared once and a {@code Mac} is reused per thread.
 *
 * <pre>{@code
 * WebhookSigner signer = WebhookSigner.builder().secret(secret).build();
 * SignatureHeaders headers = signer.sign("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", body);
 * headers.forEach(requestBuilder::header);
 * }</pre>
 */
public final class WebhookSigner {

  /** Longest message id accepted. */
  public static final int MAX_ID_LENGTH = 256;

  private final List<WebhookSecret> secrets;
  private final List<WebhookSigningKey> signingKeys;
  private final HmacSha256[] macs;
  private final Clock clock;

  private WebhookSigner(Builder builder) {
    this.secrets = List.copyOf(builder.secrets);
    this.signingKeys = List.copyOf(builder.signingKeys);
    this.clock = builder.clock != null ? builder.clock : Clock.systemUTC();
    this.macs = new HmacSha256[secrets.size()];
    for (int i = 0; i < macs.length; i++) {
      macs[i] = new HmacSha256(secrets.get(i).keyBytes());
    }
  }

  /**
   * Returns a builder; add at least one secret or signing key.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Signs an attempt made now (per the configured clock).
   *
   * @param id the message id, the same for every attempt of one message
   * @param body the raw body bytes exactly as they will be sent
   * @return the three headers to send
   * @throws NullPointerException if {@code id} or {@code body} is null
   * @throws IllegalArgumentException if {@code id} breaks the rule of {@link #sign(String, long,
   *     byte[])}
   */
  public SignatureHeaders sign(String id, byte[] body) {
    return sign(id, clock.instant().getEpochSecond(), body);
  }

  /**
   * Signs an attempt made at {@code attemptTime} (truncated to whole seconds).
   *
   * @param id the message id
   * @param attemptTime when the attempt is made
   * @param body the raw body bytes exactly as they will be sent
   * @return the three headers to send
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code id} breaks the rule of {@link #sign(String, long,
   *     byte[])} or {@code attemptTime} is before 1970
   */
  public SignatureHeaders sign(String id, Instant attemptTime, byte[] body) {
    checkNotNull(attemptTime, "attemptTime");
    return sign(id, attemptTime.getEpochSecond(), body);
  }

  /**
   * Signs an attempt made at {@code epochSeconds}.
   *
   * <p>The id must be 1 to {@value #MAX_ID_LENGTH} visible ASCII characters ({@code !} to
   * {@code ~}) without {@code .}, because the specification asks that the id cannot shift the
   * {@code id.timestamp.body} boundaries and because it travels in an HTTP header.
   *
   * @param id the message id
   * @param epochSeconds unix time in seconds of the attempt, not negative
   * @param body the raw body bytes exactly as they will be sent
   * @return the three headers to send
   * @throws NullPointerException if {@code id} or {@code body} is null
   * @throws IllegalArgumentException if {@code id} breaks the rule above or {@code epochSeconds}
   *     is negative
   */
  public SignatureHeaders sign(String id, long epochSeconds, byte[] body) {
    checkId(id);
    checkNotNull(body, "body");
    if (epochSeconds < 0) {
      throw new IllegalArgumentException("epochSeconds must not be negative, was " + epochSeconds);
    }
    byte[] prefix = SignedContent.prefix(id, epochSeconds);
    Base64.Encoder base64 = Base64.getEncoder();
    StringBuilder header = new StringBuilder(48 * macs.length + 92 * signingKeys.size());
    for (HmacSha256 mac : macs) {
      separate(header).append("v1,").append(base64.encodeToString(mac.tag(prefix, body)));
    }
    if (!signingKeys.isEmpty()) {
      byte[] message = SignedContent.concat(prefix, body);
      for (WebhookSigningKey key : signingKeys) {
        byte[] signature = Ed25519Support.sign(key.params(), message);
        separate(header).append("v1a,").append(base64.encodeToString(signature));
      }
    }
    return new SignatureHeaders(id, epochSeconds, header.toString());
  }

  private static StringBuilder separate(StringBuilder header) {
    return header.length() == 0 ? header : header.append(' ');
  }

  private static void checkId(String id) {
    checkNotNull(id, "id");
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "id must be 1 to " + MAX_ID_LENGTH + " characters, was " + id.length());
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '.') {
        throw new IllegalArgumentException("id must be visible ASCII without '.', but has "
            + (c == '.' ? "'.'" : String.format("U+%04X", (int) c)) + " at index " + i);
      }
    }
  }

  /**
   * Returns the secrets, in signing order.
   *
   * @return the HMAC secrets
   */
  public List<WebhookSecret> secrets() {
    return secrets;
  }

  /**
   * Returns the Ed25519 signing keys, in signing order.
   *
   * @return the signing keys
   */
  public List<WebhookSigningKey> signingKeys() {
    return signingKeys;
  }

  /**
   * Returns the clock that timestamps attempts.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Describes the signer without key material.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "WebhookSigner[secrets=" + secrets + ", signingKeys=" + signingKeys + "]";
  }

  /** Collects secrets, signing keys and a clock; {@link #build()} copies and validates. */
  public static final class Builder {
    private final List<WebhookSecret> secrets = new ArrayList<>();
    private final List<WebhookSigningKey> signingKeys = new ArrayList<>();
    private Clock clock;

    private Builder() {}

    /**
     * Adds an HMAC secret; each added secret yields one {@code v1} signature.
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
     * Adds several HMAC secrets, in order (e.g. the new secret, then the one being retired).
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
     * Adds an Ed25519 signing key; each yields one {@code v1a} signature.
     *
     * @param signingKey the key
     * @return this builder
     * @throws NullPointerException if {@code signingKey} is null
     * @throws IllegalArgumentException if the same key was already added
     */
    public Builder signingKey(WebhookSigningKey signingKey) {
      checkNotNull(signingKey, "signingKey");
      checkArgument(
          !signingKeys.contains(signingKey), "signingKey " + signingKey + " was already added");
      signingKeys.add(signingKey);
      return this;
    }

    /**
     * Sets the clock that timestamps attempts; defaults to {@link Clock#systemUTC()}.
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
     * Builds the signer.
     *
     * @return a new immutable signer
     * @throws IllegalStateException if neither a secret nor a signing key was added
     */
    public WebhookSigner build() {
      checkState(
          !secrets.isEmpty() || !signingKeys.isEmpty(),
          "a WebhookSigner needs at least one secret or signing key");
      return new WebhookSigner(this);
    }
  }
}
