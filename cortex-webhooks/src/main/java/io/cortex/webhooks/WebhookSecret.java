package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import io.cortex.webhooks.internal.KeyText;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A symmetric webhook signing secret for {@code v1} (HMAC-SHA256) signatures, written
 * {@code whsec_<base64>} as in the Standard Webhooks specification.
 *
 * <p>A secret holds {@value #MIN_BYTES} to {@value #MAX_BYTES} random bytes. Its
 * {@link #toString()} never shows key material, only the length and a short SHA-256
 * {@link #fingerprint() fingerprint}; call {@link #reveal()} to obtain the text to hand to a
 * receiver. Instances are immutable and thread-safe.
 */
public final class WebhookSecret {

  /** Prefix of the text form. */
  public static final String PREFIX = "whsec_";

  /** Fewest key bytes the specification allows (192 bits). */
  public static final int MIN_BYTES = 24;

  /** Most key bytes accepted (512 bits, one HMAC-SHA256 block). */
  public static final int MAX_BYTES = 64;

  /** Key bytes of a {@link #generate() generated} secret (256 bits). */
  public static final int DEFAULT_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final String fingerprint;

  private WebhookSecret(byte[] key) {
    checkArgument(
        key.length >= MIN_BYTES && key.length <= MAX_BYTES,
        "webhook secret must hold " + MIN_BYTES + " to " + MAX_BYTES
            + " bytes (Standard Webhooks), but holds " + key.length);
    this.key = key;
    this.fingerprint = fingerprintOf(key);
  }

  /**
   * Generates a new secret of {@value #DEFAULT_BYTES} bytes from {@link SecureRandom}.
   *
   * @return a new secret
   */
  public static WebhookSecret generate() {
    return generate(DEFAULT_BYTES);
  }

  /**
   * Generates a new secret of {@code numBytes} bytes from {@link SecureRandom}.
   *
   * @param numBytes how many random bytes, {@value #MIN_BYTES} to {@value #MAX_BYTES}
   * @return a new secret
   * @throws IllegalArgumentException if {@code numBytes} is out of range
   */
  public static WebhookSecret generate(int numBytes) {
    checkArgument(
        numBytes >= MIN_BYTES && numBytes <= MAX_BYTES,
        "numBytes must be " + MIN_BYTES + " to " + MAX_BYTES + ", was " + numBytes);
    byte[] key = new byte[numBytes];
    RANDOM.nextBytes(key);
    return new WebhookSecret(key);
  }

  /**
   * Parses the text form {@code whsec_<base64>}. Leading and trailing whitespace is ignored. The
   * error message never repeats the text.
   *
   * @param text the secret as shown to a receiver
   * @return the secret
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if {@code text} lacks the {@code whsec_} prefix, is not base64
   *     after it, or decodes to fewer than {@value #MIN_BYTES} or more than {@value #MAX_BYTES}
   *     bytes
   */
  public static WebhookSecret parse(String text) {
    return new WebhookSecret(KeyText.decode(text, PREFIX, "webhook secret"));
  }

  /**
   * Wraps raw key bytes; the array is copied.
   *
   * @param key {@value #MIN_BYTES} to {@value #MAX_BYTES} bytes
   * @return the secret
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code key} has the wrong length
   */
  public static WebhookSecret ofBytes(byte[] key) {
    return new WebhookSecret(checkNotNull(key, "key").clone());
  }

  /**
   * Returns the text form {@code whsec_<base64>}. This <em>is</em> the secret: show it to the
   * receiver once, store it encrypted, never log it.
   *
   * @return the text form
   */
  public String reveal() {
    return KeyText.encode(PREFIX, key);
  }

  /**
   * Returns how many key bytes the secret holds.
   *
   * @return {@value #MIN_BYTES} to {@value #MAX_BYTES}
   */
  public int length() {
    return key.length;
  }

  /**
   * Returns a short identifier safe to log: {@code sha256:} followed by the first 8 hex digits of
   * the SHA-256 of the key bytes. Useful to tell secrets apart during rotation.
   *
   * @return the fingerprint
   */
  public String fingerprint() {
    return fingerprint;
  }

  /** Raw key bytes, not copied: for the signer and verifier of this package only. */
  byte[] keyBytes() {
    return key;
  }

  /**
   * Compares key bytes in constant time.
   *
   * @param o another object
   * @return true if {@code o} is a secret with the same key bytes
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookSecret && MessageDigest.isEqual(key, ((WebhookSecret) o).key);
  }

  /**
   * Returns a hash derived from the fingerprint.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return fingerprint.hashCode();
  }

  /**
   * Returns a redacted description, e.g. {@code WebhookSecret[whsec_***, 32 bytes,
   * sha256:1a2b3c4d]}; never key material.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "WebhookSecret[" + PREFIX + "***, " + key.length + " bytes, " + fingerprint + "]";
  }

  static String fingerprintOf(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "sha256:" + HexFormat.of().formatHex(Arrays.copyOf(digest, 4));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
    }
  }
}
