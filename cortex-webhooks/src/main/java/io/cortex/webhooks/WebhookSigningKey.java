package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import io.cortex.webhooks.internal.Ed25519Support;
import io.cortex.webhooks.internal.KeyText;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * An Ed25519 private key that produces {@code v1a} signatures, written {@code whsk_<base64>}.
 *
 * <p>Key format, as in the Standard Webhooks reference libraries (Go {@code NewWebhookAsymmetric},
 * which calls {@code ed25519.NewKeyFromSeed}): the base64 encodes the 32-byte RFC 8032 private key
 * (the seed). For convenience {@link #parse(String)} also accepts the 64-byte form
 * {@code seed || publicKey} used by libsodium and Go's {@code ed25519.PrivateKey}, provided the
 * second half is the public key of the first; {@link #reveal()} always writes the 32-byte form.
 * The matching {@link #publicKey()} is written {@code whpk_<base64 of 32 bytes>}.
 *
 * <p>{@link #toString()} never shows the private key, only the public key. Instances are immutable
 * and thread-safe.
 */
public final class WebhookSigningKey {

  /** Prefix of the text form. */
  public static final String PREFIX = "whsk_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] seed;
  private final Ed25519PrivateKeyParameters key;
  private final WebhookPublicKey publicKey;

  private WebhookSigningKey(byte[] seed) {
    this.seed = seed;
    this.key = Ed25519Support.privateKey(seed);
    this.publicKey = WebhookPublicKey.fromValidBytes(key.generatePublicKey().getEncoded());
  }

  /**
   * Generates a new key pair from {@link SecureRandom}.
   *
   * @return a new signing key
   */
  public static WebhookSigningKey generate() {
    byte[] seed = new byte[Ed25519Support.KEY_LENGTH];
    RANDOM.nextBytes(seed);
    return new WebhookSigningKey(seed);
  }

  /**
   * Parses {@code whsk_<base64>} of a 32-byte seed (or the 64-byte {@code seed || publicKey}
   * form). Surrounding whitespace is ignored; the message of an error never repeats the text.
   *
   * @param text the private key text
   * @return the signing key
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if the prefix is missing, the rest is not base64, the length
   *     is neither 32 nor 64 bytes, or a 64-byte key's second half is not its public key
   */
  public static WebhookSigningKey parse(String text) {
    return fromBytes(KeyText.decode(text, PREFIX, "webhook signing key"));
  }

  /**
   * Wraps a raw 32-byte Ed25519 seed (or 64-byte {@code seed || publicKey}); the array is copied.
   *
   * @param bytes the raw private key
   * @return the signing key
   * @throws NullPointerException if {@code bytes} is null
   * @throws IllegalArgumentException if the length is wrong or the halves do not match
   */
  public static WebhookSigningKey ofBytes(byte[] bytes) {
    return fromBytes(checkNotNull(bytes, "bytes").clone());
  }

  private static WebhookSigningKey fromBytes(byte[] bytes) {
    int n = Ed25519Support.KEY_LENGTH;
    checkArgument(
        bytes.length == n || bytes.length == 2 * n,
        "webhook signing key must be a " + n + "-byte Ed25519 seed (or " + 2 * n
            + "-byte seed || public key), but is " + bytes.length + " bytes");
    WebhookSigningKey key = new WebhookSigningKey(Arrays.copyOf(bytes, n));
    if (bytes.length == 2 * n) {
      byte[] claimed = Arrays.copyOfRange(bytes, n, 2 * n);
      checkArgument(
          MessageDigest.isEqual(claimed, key.publicKey.toBytes()),
          "webhook signing key's last " + n + " bytes are not the public key of its seed");
    }
    return key;
  }

  /**
   * Returns the public key receivers verify with.
   *
   * @return the public key
   */
  public WebhookPublicKey publicKey() {
    return publicKey;
  }

  /**
   * Returns the text form {@code whsk_<base64 of the 32-byte seed>}. This is the private key:
   * never log it.
   *
   * @return the text form
   */
  public String reveal() {
    return KeyText.encode(PREFIX, seed);
  }

  Ed25519PrivateKeyParameters params() {
    return key;
  }

  /**
   * Compares seeds in constant time.
   *
   * @param o another object
   * @return true if {@code o} is the same private key
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookSigningKey && MessageDigest.isEqual(seed, ((WebhookSigningKey) o).seed);
  }

  /**
   * Returns the hash code of the public key.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  /**
   * Returns a redacted description naming only the public key.
   *
   * @return e.g. {@code WebhookSigningKey[whsk_***, public whpk_…]}
   */
  @Override
  public String toString() {
    return "WebhookSigningKey[" + PREFIX + "***, public " + publicKey.encoded() + "]";
  }
}
