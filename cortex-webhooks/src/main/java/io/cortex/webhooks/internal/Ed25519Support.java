package io.cortex.webhooks.internal;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Ed25519 (RFC 8032, pure, no context) through BouncyCastle's low-level API. */
public final class Ed25519Support {

  /** Length in bytes of a private key seed and of a public key. */
  public static final int KEY_LENGTH = Ed25519.SECRET_KEY_SIZE;

  /** Length in bytes of a signature. */
  public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

  private Ed25519Support() {}

  /**
   * Returns the private key for a 32-byte seed.
   *
   * @param seed the seed (RFC 8032 private key)
   * @return the key parameters
   */
  public static Ed25519PrivateKeyParameters privateKey(byte[] seed) {
    return new Ed25519PrivateKeyParameters(seed, 0);
  }

  /**
   * Returns the public key for 32 encoded bytes, or null if they do not encode a valid point.
   *
   * @param encoded the encoded public key
   * @return the key parameters, or null if invalid
   */
  public static Ed25519PublicKeyParameters publicKeyOrNull(byte[] encoded) {
    if (encoded.length != KEY_LENGTH || !Ed25519.validatePublicKeyPartial(encoded, 0)) {
      return null;
    }
    try {
      return new Ed25519PublicKeyParameters(encoded, 0);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Signs {@code message}.
   *
   * @param key the private key (which caches its public key)
   * @param message the whole message
   * @return a 64-byte signature
   */
  public static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
    byte[] signature = new byte[SIGNATURE_LENGTH];
    key.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    return signature;
  }

  /**
   * Returns whether {@code signature} is a valid signature of {@code message}; never throws on
   * hostile signature bytes.
   *
   * @param key the public key
   * @param message the whole message
   * @param signature the signature, 64 bytes
   * @return true if valid
   */
  public static boolean verify(
      Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      return key.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
