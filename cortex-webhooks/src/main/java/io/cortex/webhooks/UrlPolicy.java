package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import io.cortex.webhooks.internal.AddressClassifier;
import io.cortex.webhooks.internal.AddressClassifier.Classification;
import io.cortex.webhooks.internal.Excerpt;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Guards webhook URLs against server-side request forgery (SSRF).
 *
 * <p>{@link #checkUrl(URI)} judges a URL as written: the scheme must be {@code https}
 * ({@code http} only with {@link #allowsPlainHttp()}); there must be a host and no user info; a
 * host that ends in a number must be a canonical dotted-quad IPv4 address (decimal, octal or hex
 * forms such as {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 127.1} are refused
 * outright, since resolvers disagree on what they mean); IP literals and the names
 * {@code localhost}, {@code *.localhost}, {@code metadata.google.internal}, {@code metadata.goog}
 * and {@code metadata} are judged like the addresses below. Hosts are compared after IDN
 * normalisation, so full-width digits do not slip through.
 *
 * <p>{@link #checkAddress(InetAddress)} judges an address the host resolved to. The dispatcher must
 * call it on every attempt and for every redirect target, because DNS can change between
 * subscription and delivery. Refused unless {@link #allowsPrivateAddresses()}: loopback
 * (127/8, ::1), private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10), link-local
 * (169.254/16, fe80::/10), unspecified (0/8, ::), multicast (224/4, ff00::/8) and reserved
 * (240/4, 192.0.0/24, 198.18/15, 2001:db8::/32). IPv6 forms embedding IPv4 (IPv4-mapped, -compatible,
 * NAT64, 6to4) are judged by the embedded address. Cloud metadata endpoints (169.254.169.254,
 * 169.254.170.2, 100.100.100.200, fd00:ec2::254 and the metadata host names) are refused
 * <em>always</em>, even with {@link #allowsPrivateAddresses()}: no legitimate webhook goes there.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class UrlPolicy {

  /** What a URL or address was refused for. */
  public enum Rule {
    /** The scheme is neither {@code https} nor {@code http}, or missing. */
    UNSUPPORTED_SCHEME,
    /** The scheme is {@code http} and plain HTTP is not allowed. */
    HTTPS_REQUIRED,
    /** The URL has no host, or the host is not a valid host name. */
    INVALID_HOST,
    /** The URL carries user info ({@code user:password@}). */
    USER_INFO,
    /** The host is a numeric IPv4 address in a form other than canonical dotted decimal. */
    NON_CANONICAL_IP,
    /** A cloud instance metadata endpoint; refused always. */
    CLOUD_METADATA,
    /** A loopback address or {@code localhost}. */
    LOOPBACK,
    /** A private, unique-local, site-local or carrier-grade NAT address. */
    PRIVATE,
    /** A link-local address. */
    LINK_LOCAL,
    /** An unspecified ("this network") address. */
    UNSPECIFIED,
    /** A multicast address. */
    MULTICAST,
    /** A reserved, broadcast, benchmarking or documentation address. */
    RESERVED
  }

  private static final UrlPolicy STRICT = new UrlPolicy(false, false);
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
          + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_-]+(?:\\.[a-z0-9_-]+)*");
  private static final Pattern PORT = Pattern.compile(":[0-9]{0,5}");
  private static final Set<String> METADATA_HOSTS =
      Set.of("metadata.google.internal", "metadata.goog", "metadata");

  private final boolean allowPlainHttp;
  private final boolean allowPrivateAddresses;

  private UrlPolicy(boolean allowPlainHttp, boolean allowPrivateAddresses) {
    this.allowPlainHttp = allowPlainHttp;
    this.allowPrivateAddresses = allowPrivateAddresses;
  }

  /**
   * Returns the default policy: {@code https} only, public addresses only.
   *
   * @return the strict policy
   */
  public static UrlPolicy strict() {
    return STRICT;
  }

  /**
   * Returns a policy with the given relaxations.
   *
   * @param allowPlainHttp whether {@code http} URLs are accepted
   * @param allowPrivateAddresses whether loopback, private, link-local, unspecified, multicast and
   *     reserved addresses are accepted (cloud metadata never is)
   * @return the policy
   */
  public static UrlPolicy of(boolean allowPlainHttp, boolean allowPrivateAddresses) {
    return allowPlainHttp || allowPrivateAddresses
        ? new UrlPolicy(allowPlainHttp, allowPrivateAddresses)
        : STRICT;
  }

  /**
   * Returns whether {@code http} URLs are accepted.
   *
   * @return true if plain HTTP is allowed
   */
  public boolean allowsPlainHttp() {
    return allowPlainHttp;
  }

  /**
   * Returns whether non-public addresses (other than cloud metadata) are accepted.
   *
   * @return true if private addresses are allowed
   */
  public boolean allowsPrivateAddresses() {
    return allowPrivateAddresses;
  }

  /**
   * Checks a URL as written, without any DNS lookup. Call it when a subscription is saved and for
   * each redirect target before following it.
   *
   * @param url the URL
   * @throws NullPointerException if {@code url} is null
   * @throws UrlPolicyViolationException if a rule refuses the URL; {@link
   *     UrlPolicyViolationException#rule()} says which
   */
  public void checkUrl(URI url) {
    checkNotNull(url, "url");
    String shown = Excerpt.of(url.toString());
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http")) {
      if (!allowPlainHttp) {
        throw new UrlPolicyViolationException(Rule.HTTPS_REQUIRED,
            "url " + shown + " must use https (set allowPlainHttp to permit http)");
      }
    } else if (!scheme.equals("https")) {
      throw new UrlPolicyViolationException(Rule.UNSUPPORTED_SCHEME,
          "url " + shown + " must be an absolute https URL");
    }
    String authority = url.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw new UrlPolicyViolationException(Rule.INVALID_HOST, "url " + shown + " has no host");
    }
    if (authority.indexOf('@') >= 0) {
      throw new UrlPolicyViolationException(Rule.USER_INFO,
          "url " + shown + " must not carry user info (user:password@); put credentials in a "
              + "header");
    }
    String host = hostOf(authority, shown);
    if (host.startsWith("[")) {
      checkAddress(ipv6Literal(host, shown), "url " + shown + " points at ");
      return;
    }
    String[] labels = host.split("\\.", -1);
    if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
      if (!DOTTED_QUAD.matcher(host).matches()) {
        throw new UrlPolicyViolationException(Rule.NON_CANONICAL_IP,
            "url " + shown + " has a numeric host that is not a canonical dotted-decimal IPv4 "
                + "address (decimal, octal and hex forms are refused); write it as a.b.c.d");
      }
      byte[] ipv4 = new byte[4];
      for (int i = 0; i < 4; i++) {
        ipv4[i] = (byte) Integer.parseInt(labels[i]);
      }
      check(AddressClassifier.classify(ipv4), "url " + shown + " points at ", host);
      return;
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      refuse(Rule.LOOPBACK, "url " + shown + " points at localhost");
    }
    if (METADATA_HOSTS.contains(host)) {
      throw new UrlPolicyViolationException(Rule.CLOUD_METADATA,
          "url " + shown + " points at the cloud metadata service; refused always");
    }
  }

  /** Extracts the host from the raw authority: no port, percent-decoded, IDN-normalised. */
  private static String hostOf(String authority, String shown) {
    String raw;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new UrlPolicyViolationException(Rule.INVALID_HOST,
            "url " + shown + " has an unterminated IPv6 literal");
      }
      raw = authority.substring(0, close + 1);
      checkPort(authority.substring(close + 1), shown);
    } else {
      int colon = authority.indexOf(':');
      raw = colon >= 0 ? authority.substring(0, colon) : authority;
      checkPort(colon >= 0 ? authority.substring(colon) : "", shown);
    }
    String host;
    try {
      host = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
      if (!host.startsWith("[")) {
        host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
      }
    } catch (IllegalArgumentException e) {
      throw new UrlPolicyViolationException(Rule.INVALID_HOST,
          "url " + shown + " has a host that is not a valid host name");
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (!host.startsWith("[") && !HOST_NAME.matcher(host).matches()) {
      throw new UrlPolicyViolationException(Rule.INVALID_HOST,
          "url " + shown + " has no valid host name");
    }
    return host;
  }

  private static void checkPort(String rest, String shown) {
    if (!rest.isEmpty() && !PORT.matcher(rest).matches()) {
      throw new UrlPolicyViolationException(Rule.INVALID_HOST,
          "url " + shown + " has an invalid port");
    }
  }

  private static InetAddress ipv6Literal(String bracketed, String shown) {
    String inner = bracketed.substring(1, bracketed.length() - 1);
    if (inner.isEmpty() || inner.indexOf(':') < 0) {
      throw new UrlPolicyViolationException(Rule.INVALID_HOST,
          "url " + shown + " has an invalid IPv6 literal");
    }
    try {
      // a bracketed literal is parsed, never looked up in DNS
      return InetAddress.getByName(bracketed);
    } catch (UnknownHostException | RuntimeException e) {
      throw new UrlPolicyViolationException(Rule.INVALID_HOST,
          "url " + shown + " has an invalid IPv6 literal");
    }
  }

  /**
   * Checks an address a webhook host resolved to. The dispatcher calls it on every attempt, for
   * every address it is about to connect to, including after redirects.
   *
   * @param address the resolved address
   * @throws NullPointerException if {@code address} is null
   * @throws UrlPolicyViolationException if a rule refuses the address
   */
  public void checkAddress(InetAddress address) {
    checkNotNull(address, "address");
    checkAddress(address, "address ");
  }

  private void checkAddress(InetAddress address, String what) {
    check(AddressClassifier.classify(address.getAddress()), what, address.getHostAddress());
  }

  private void check(Classification c, String what, String address) {
    if (c.isPublic()) {
      return;
    }
    if (c.rule() == Rule.CLOUD_METADATA) {
      throw new UrlPolicyViolationException(Rule.CLOUD_METADATA,
          what + address + " in " + c.range() + "; refused always");
    }
    refuse(c.rule(), what + address + " in " + c.range());
  }

  private void refuse(Rule rule, String message) {
    if (!allowPrivateAddresses) {
      throw new UrlPolicyViolationException(rule, message + ", a "
          + rule.name().toLowerCase(Locale.ROOT).replace('_', '-')
          + " address (set allowPrivateAddresses to permit it)");
    }
  }

  /**
   * Compares the two options.
   *
   * @param o another object
   * @return true if {@code o} is a policy with the same options
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof UrlPolicy
        && ((UrlPolicy) o).allowPlainHttp == allowPlainHttp
        && ((UrlPolicy) o).allowPrivateAddresses == allowPrivateAddresses;
  }

  /**
   * Returns a hash of the two options.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return (allowPlainHttp ? 2 : 0) + (allowPrivateAddresses ? 1 : 0);
  }

  /**
   * Describes the options.
   *
   * @return e.g. {@code UrlPolicy[allowPlainHttp=false, allowPrivateAddresses=false]}
   */
  @Override
  public String toString() {
    return "UrlPolicy[allowPlainHttp=" + allowPlainHttp + ", allowPrivateAddresses="
        + allowPrivateAddresses + "]";
  }
}
