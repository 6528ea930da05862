package io.cortex.webhooks.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under one key, with the key spec built once and one initialised {@link Mac} per
 * thread, so the hot path neither parses the key nor allocates a {@code Mac}.
 */
public final class HmacSha256 {

  /** Length in bytes of an HMAC-SHA256 tag. */
  public static final int TAG_LENGTH = 32;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  /**
   * Creates the HMAC for {@code keyBytes}; the bytes are copied.
   *
   * @param keyBytes the raw key
   * @throws IllegalStateException if the JDK has no HmacSHA256 (never on a conforming JDK)
   */
  public HmacSha256(byte[] keyBytes) {
    this.key = new SecretKeySpec(keyBytes, ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
    newMac(); // fail at construction rather than on first use
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
    }
  }

  /**
   * Returns the tag of {@code prefix} followed by {@code body}, fed to the MAC separately so that a
   * large body is never copied.
   *
   * @param prefix the {@code id.timestamp.} bytes
   * @param body the raw body bytes
   * @return a fresh 32-byte tag
   */
  public byte[] tag(byte[] prefix, byte[] body) {
    Mac mac = macs.get();
    try {
      mac.update(prefix);
      mac.update(body);
      return mac.doFinal();
    } catch (RuntimeException e) {
      mac.reset();
      throw e;
    }
  }
}
