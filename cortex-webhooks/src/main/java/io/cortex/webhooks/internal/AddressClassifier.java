package io.cortex.webhooks.internal;

import io.cortex.webhooks.UrlPolicy.Rule;

/**
 * Sorts IPv4 and IPv6 addresses into the ranges {@link io.cortex.webhooks.UrlPolicy} refuses.
 * IPv6 forms that embed an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible
 * {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the embedded
 * address.
 */
public final class AddressClassifier {

  /**
   * The outcome: the rule an address falls under (null if it is a public address) and the range
   * it falls in, for messages.
   *
   * @param rule the refused category, or null for a public address
   * @param range e.g. {@code 10.0.0.0/8}
   */
  public record Classification(Rule rule, String range) {

    /**
     * Returns whether the address is an ordinary public unicast address.
     *
     * @return true if no rule applies
     */
    public boolean isPublic() {
      return rule == null;
    }
  }

  private static final Classification PUBLIC = new Classification(null, "public");

  private AddressClassifier() {}

  /**
   * Classifies a raw 4- or 16-byte address.
   *
   * @param address network-order bytes, as from {@code InetAddress.getAddress()}
   * @return the classification
   * @throws IllegalArgumentException if the array is neither 4 nor 16 bytes
   */
  public static Classification classify(byte[] address) {
    if (address.length == 4) {
      return ipv4(address, 0);
    }
    if (address.length == 16) {
      return ipv6(address);
    }
    throw new IllegalArgumentException(
        "address must be 4 or 16 bytes, but is " + address.length);
  }

  private static Classification ipv4(byte[] b, int off) {
    int a0 = b[off] & 0xff;
    int a1 = b[off + 1] & 0xff;
    int a2 = b[off + 2] & 0xff;
    int a3 = b[off + 3] & 0xff;
    if (a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254) {
      return new Classification(Rule.CLOUD_METADATA, "169.254.169.254 (cloud instance metadata)");
    }
    if (a0 == 169 && a1 == 254 && a2 == 170 && a3 == 2) {
      return new Classification(Rule.CLOUD_METADATA, "169.254.170.2 (AWS ECS task metadata)");
    }
    if (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200) {
      return new Classification(Rule.CLOUD_METADATA, "100.100.100.200 (Alibaba Cloud metadata)");
    }
    if (a0 == 0) {
      return new Classification(Rule.UNSPECIFIED, "0.0.0.0/8 (this network)");
    }
    if (a0 == 127) {
      return new Classification(Rule.LOOPBACK, "127.0.0.0/8");
    }
    if (a0 == 10) {
      return new Classification(Rule.PRIVATE, "10.0.0.0/8");
    }
    if (a0 == 172 && (a1 & 0xf0) == 16) {
      return new Classification(Rule.PRIVATE, "172.16.0.0/12");
    }
    if (a0 == 192 && a1 == 168) {
      return new Classification(Rule.PRIVATE, "192.168.0.0/16");
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return new Classification(Rule.PRIVATE, "100.64.0.0/10 (carrier-grade NAT)");
    }
    if (a0 == 169 && a1 == 254) {
      return new Classification(Rule.LINK_LOCAL, "169.254.0.0/16");
    }
    if ((a0 & 0xf0) == 224) {
      return new Classification(Rule.MULTICAST, "224.0.0.0/4");
    }
    if ((a0 & 0xf0) == 240) {
      return new Classification(Rule.RESERVED, "240.0.0.0/4 (reserved, with broadcast)");
    }
    if (a0 == 192 && a1 == 0 && a2 == 0) {
      return new Classification(Rule.RESERVED, "192.0.0.0/24 (IETF protocol assignments)");
    }
    if (a0 == 198 && (a1 & 0xfe) == 18) {
      return new Classification(Rule.RESERVED, "198.18.0.0/15 (benchmarking)");
    }
    return PUBLIC;
  }

  private static Classification ipv6(byte[] b) {
    if (allZero(b, 0, 16)) {
      return new Classification(Rule.UNSPECIFIED, "::/128");
    }
    if (allZero(b, 0, 15) && b[15] == 1) {
      return new Classification(Rule.LOOPBACK, "::1/128");
    }
    if (isEc2Metadata(b)) {
      return new Classification(Rule.CLOUD_METADATA, "fd00:ec2::254 (AWS instance metadata)");
    }
    if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return embedded(ipv4(b, 12), "IPv4-mapped ");
    }
    if (allZero(b, 0, 12)) {
      return embedded(ipv4(b, 12), "IPv4-compatible ");
    }
    int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if (w0 == 0x0064 && w1 == 0xff9b && allZero(b, 4, 12)) {
      return embedded(ipv4(b, 12), "NAT64 ");
    }
    if (w0 == 0x0064 && w1 == 0xff9b && ((b[4] & 0xff) << 8 | (b[5] & 0xff)) == 1) {
      return new Classification(Rule.PRIVATE, "64:ff9b:1::/48 (local-use NAT64)");
    }
    if (w0 == 0x2002) {
      return embedded(ipv4(b, 2), "6to4 ");
    }
    if ((w0 & 0xffc0) == 0xfe80) {
      return new Classification(Rule.LINK_LOCAL, "fe80::/10");
    }
    if ((w0 & 0xffc0) == 0xfec0) {
      return new Classification(Rule.PRIVATE, "fec0::/10 (site-local)");
    }
    if ((w0 & 0xfe00) == 0xfc00) {
      return new Classification(Rule.PRIVATE, "fc00::/7 (unique local)");
    }
    if ((w0 & 0xff00) == 0xff00) {
      return new Classification(Rule.MULTICAST, "ff00::/8");
    }
    if (w0 == 0x2001 && w1 == 0x0db8) {
      return new Classification(Rule.RESERVED, "2001:db8::/32 (documentation)");
    }
    return PUBLIC;
  }

  private static Classification embedded(Classification inner, String form) {
    return inner.isPublic() ? PUBLIC : new Classification(inner.rule(), form + inner.range());
  }

  private static boolean isEc2Metadata(byte[] b) {
    // fd00:0ec2:0000:0000:0000:0000:0000:0254
    return (b[0] & 0xff) == 0xfd && b[1] == 0 && b[2] == 0x0e && (b[3] & 0xff) == 0xc2
        && allZero(b, 4, 14) && b[14] == 0x02 && b[15] == 0x54;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
