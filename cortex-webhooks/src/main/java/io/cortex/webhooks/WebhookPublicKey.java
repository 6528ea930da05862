package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import io.cortex.webhooks.internal.Ed25519Support;
import io.cortex.webhooks.internal.KeyText;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * An Ed25519 public key that verifies {@code v1a} signatures, written {@code whpk_<base64>} where
 * the base64 encodes the 32-byte RFC 8032 public key (the format of the Standard Webhooks reference
 * libraries). Public keys are not secret: {@link #toString()} shows the text form. Instances are
 * immutable and thread-safe.
 */
public final class WebhookPublicKey {

  /** Prefix of the text form. */
  public static final String PREFIX = "whpk_";

  private final byte[] encoded;
  private final Ed25519PublicKeyParameters key;

  private WebhookPublicKey(byte[] encoded) {
    checkArgument(
        encoded.length == Ed25519Support.KEY_LENGTH,
        "webhook public key must be " + Ed25519Support.KEY_LENGTH
            + " bytes (raw Ed25519 public key), but is " + encoded.length);
    Ed25519PublicKeyParameters params = Ed25519Support.publicKeyOrNull(encoded);
    checkArgument(params != null, "webhook public key is not a valid Ed25519 point");
    this.encoded = encoded;
    this.key = params;
  }

  static WebhookPublicKey fromValidBytes(byte[] encoded) {
    return new WebhookPublicKey(encoded);
  }

  /**
   * Parses the text form {@code whpk_<base64 of 32 bytes>}; surrounding whitespace is ignored.
   *
   * @param text the public key text
   * @return the public key
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if the prefix is missing, the rest is not base64, it does not
   *     decode to 32 bytes, or the bytes are not a valid Ed25519 public key
   */
  public static WebhookPublicKey parse(String text) {
    return new WebhookPublicKey(KeyText.decode(text, PREFIX, "webhook public key"));
  }

  /**
   * Wraps a raw 32-byte Ed25519 public key; the array is copied.
   *
   * @param encoded the raw public key
   * @return the public key
   * @throws NullPointerException if {@code encoded} is null
   * @throws IllegalArgumentException if it is not 32 bytes or not a valid Ed25519 point
   */
  public static WebhookPublicKey ofBytes(byte[] encoded) {
    return new WebhookPublicKey(checkNotNull(encoded, "encoded").clone());
  }

  /**
   * Returns the text form {@code whpk_<base64>}.
   *
   * @return the text form
   */
  public String encoded() {
    return KeyText.encode(PREFIX, encoded);
  }

  /**
   * Returns a copy of the raw 32-byte public key.
   *
   * @return the raw key
   */
  public byte[] toBytes() {
    return encoded.clone();
  }

  Ed25519PublicKeyParameters params() {
    return key;
  }

  /**
   * Compares the encoded key bytes.
   *
   * @param o another object
   * @return true if {@code o} is the same public key
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookPublicKey && Arrays.equals(encoded, ((WebhookPublicKey) o).encoded);
  }

  /**
   * Returns a hash of the encoded key bytes.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  /**
   * Returns {@code WebhookPublicKey[whpk_…]}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "WebhookPublicKey[" + encoded() + "]";
  }
}
