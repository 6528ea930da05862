package io.cortex.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cortex.webhooks.UrlPolicy.Rule;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPolicyTest {

  private final UrlPolicy strict = UrlPolicy.strict();
  private final UrlPolicy permissive = UrlPolicy.of(true, true);

  private static Rule refusal(UrlPolicy policy, String url) {
    UrlPolicyViolationException e = catchThrowableOfType(UrlPolicyViolationException.class,
        () -> policy.checkUrl(URI.create(url)));
    assertThat(e).as("%s should be refused", url).isNotNull();
    return e.rule();
  }

  private static Rule refusal(UrlPolicy policy, InetAddress address) {
    UrlPolicyViolationException e = catchThrowableOfType(UrlPolicyViolationException.class,
        () -> policy.checkAddress(address));
    assertThat(e).as("%s should be refused", address).isNotNull();
    return e.rule();
  }

  /** An IPv6 address object that stays IPv6 even when it embeds IPv4 (no JDK conversion). */
  private static InetAddress ipv6(String literal) throws Exception {
    byte[] bytes = new byte[16];
    byte[] parsed = InetAddress.getByName("[" + literal + "]").getAddress();
    if (parsed.length == 4) { // the JDK turned ::ffff:a.b.c.d into IPv4
      bytes[10] = (byte) 0xff;
      bytes[11] = (byte) 0xff;
      System.arraycopy(parsed, 0, bytes, 12, 4);
    } else {
      bytes = parsed;
    }
    return Inet6Address.getByAddress(null, bytes, -1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/hooks", "https://example.com:8443/a?b=c",
      "HTTPS://Example.COM./x", "https://8.8.8.8/", "https://[2606:4700:4700::1111]/",
      "https://b\u00fccher.de/", "https://123.example.com/", "https://[::ffff:8.8.8.8]/"})
  void publicHttpsUrlsPass(String url) {
    assertThatCode(() -> strict.checkUrl(URI.create(url))).doesNotThrowAnyException();
  }

  @Test
  void plainHttpNeedsAllowPlainHttp() {
    UrlPolicyViolationException e = catchThrowableOfType(UrlPolicyViolationException.class,
        () -> strict.checkUrl(URI.create("http://example.com/")));

    assertThat(e.rule()).isEqualTo(Rule.HTTPS_REQUIRED);
    assertThat(e).hasMessage("url \"http://example.com/\" must use https (set allowPlainHttp to "
        + "permit http)");
    assertThatCode(() -> UrlPolicy.of(true, false).checkUrl(URI.create("http://example.com/")))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/", "file:///etc/passwd", "gopher://example.com/",
      "/relative/path", "mailto:ops@example.com", "javascript:alert(1)"})
  void otherSchemesAreRefusedEvenWhenPermissive(String url) {
    assertThat(refusal(permissive, url)).isEqualTo(Rule.UNSUPPORTED_SCHEME);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https:///path", "https://exa$mple.com/", "https://ex%20ample.com/",
      "https://a..b/", "https://host:port/", "https://.example.com/", "https://:443/",
      "https://ex%2Fample.com/"})
  void urlsWithoutAValidHostAreRefused(String url) {
    assertThat(refusal(permissive, url)).isEqualTo(Rule.INVALID_HOST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://user:pass@example.com/", "https://user@example.com/",
      "https://example.com@169.254.169.254/", "https://@example.com/"})
  void userInfoIsRefusedEvenWhenPermissive(String url) {
    assertThat(refusal(permissive, url)).isEqualTo(Rule.USER_INFO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://2130706433/", "https://0177.0.0.1/", "https://0x7f.0.0.1/",
      "https://0x7f000001/", "https://127.1/", "https://127.0.1/", "https://017700000001/",
      "https://1.2.3.4.5/", "https://10.0.0.01/", "https://example.0x10/", "https://3232235521/",
      "https://0/", "https://256.0.0.1/"})
  void decimalOctalAndHexLookingHostsAreRefusedEvenWhenPermissive(String url) {
    assertThat(refusal(permissive, url)).isEqualTo(Rule.NON_CANONICAL_IP);
  }

  @Test
  void fullWidthDigitsAreNormalisedBeforeTheCheck() {
    assertThat(refusal(strict, "https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/"))
        .isEqualTo(Rule.LOOPBACK);
  }

  @Test
  void percentEncodedHostsAreDecodedBeforeTheCheck() {
    assertThat(refusal(strict, "https://%31%32%37.0.0.1/")).isEqualTo(Rule.LOOPBACK);
  }

  @ParameterizedTest
  @CsvSource({
      "https://127.0.0.1/, LOOPBACK",
      "https://127.255.255.254:8443/, LOOPBACK",
      "https://localhost/, LOOPBACK",
      "https://LOCALHOST./, LOOPBACK",
      "https://api.localhost/, LOOPBACK",
      "https://[::1]/, LOOPBACK",
      "https://[0:0:0:0:0:0:0:1]/, LOOPBACK",
      "https://[::ffff:127.0.0.1]/, LOOPBACK",
      "https://[::ffff:7f00:1]/, LOOPBACK",
      "https://10.1.2.3/, PRIVATE",
      "https://172.16.0.1/, PRIVATE",
      "https://172.31.255.255/, PRIVATE",
      "https://192.168.1.1/, PRIVATE",
      "https://100.64.0.1/, PRIVATE",
      "https://[fc00::1]/, PRIVATE",
      "https://[fd12:3456::1]/, PRIVATE",
      "https://[::ffff:10.0.0.1]/, PRIVATE",
      "https://[64:ff9b::10.0.0.1]/, PRIVATE",
      "https://[2002:c0a8:0101::1]/, PRIVATE",
      "https://169.254.1.1/, LINK_LOCAL",
      "https://[fe80::1]/, LINK_LOCAL",
      "https://[febf::1]/, LINK_LOCAL",
      "https://0.0.0.0/, UNSPECIFIED",
      "https://[::]/, UNSPECIFIED",
      "https://224.0.0.1/, MULTICAST",
      "https://239.255.255.250/, MULTICAST",
      "https://[ff02::1]/, MULTICAST",
      "https://255.255.255.255/, RESERVED",
      "https://240.0.0.1/, RESERVED",
  })
  void nonPublicAddressesNeedAllowPrivateAddresses(String url, Rule rule) {
    assertThat(refusal(UrlPolicy.of(true, false), url)).isEqualTo(rule);
    assertThatCode(() -> permissive.checkUrl(URI.create(url))).doesNotThrowAnyException();
  }

  @Test
  void refusalNamesTheAddressTheRangeAndTheOption() {
    UrlPolicyViolationException e = catchThrowableOfType(UrlPolicyViolationException.class,
        () -> strict.checkUrl(URI.create("https://10.1.2.3/hook")));

    assertThat(e).hasMessage("url \"https://10.1.2.3/hook\" points at 10.1.2.3 in 10.0.0.0/8, a "
        + "private address (set allowPrivateAddresses to permit it)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://169.254.169.254/latest/meta-data/",
      "https://169.254.170.2/v2/credentials", "https://100.100.100.200/latest/meta-data",
      "https://[fd00:ec2::254]/latest/meta-data/", "https://metadata.google.internal/",
      "https://METADATA.google.internal./computeMetadata/v1/", "https://metadata/",
      "https://metadata.goog/", "https://[::ffff:169.254.169.254]/"})
  void cloudMetadataIsRefusedEvenWhenPrivateAddressesAreAllowed(String url) {
    assertThat(refusal(permissive, url)).isEqualTo(Rule.CLOUD_METADATA);
  }

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, LOOPBACK",
      "10.0.0.1, PRIVATE",
      "172.20.1.1, PRIVATE",
      "192.168.0.10, PRIVATE",
      "169.254.0.1, LINK_LOCAL",
      "169.254.169.254, CLOUD_METADATA",
      "0.0.0.0, UNSPECIFIED",
      "224.0.0.251, MULTICAST",
      "198.18.0.1, RESERVED",
  })
  void resolvedIpv4AddressesAreChecked(String address, Rule rule) throws Exception {
    assertThat(refusal(strict, InetAddress.getByName(address))).isEqualTo(rule);
  }

  @ParameterizedTest
  @CsvSource({
      "::1, LOOPBACK",
      "::, UNSPECIFIED",
      "fe80::1, LINK_LOCAL",
      "fd00:ec2::254, CLOUD_METADATA",
      "fc00::5, PRIVATE",
      "ff05::2, MULTICAST",
      "::ffff:127.0.0.1, LOOPBACK",
      "::ffff:10.0.0.1, PRIVATE",
      "::ffff:169.254.169.254, CLOUD_METADATA",
      "::127.0.0.1, LOOPBACK",
      "64:ff9b::169.254.169.254, CLOUD_METADATA",
      "64:ff9b:1::1, PRIVATE",
      "2002:7f00:0001::, LOOPBACK",
      "2001:db8::1, RESERVED",
  })
  void resolvedIpv6AddressesIncludingIpv4MappedFormsAreChecked(String literal, Rule rule)
      throws Exception {
    InetAddress address = ipv6(literal);
    assertThat(address).isInstanceOf(Inet6Address.class);

    assertThat(refusal(strict, address)).isEqualTo(rule);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "169.255.0.1",
      "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:0808:0808::1"})
  void publicResolvedAddressesPass(String literal) throws Exception {
    InetAddress address = literal.contains(":") ? ipv6(literal) : InetAddress.getByName(literal);

    assertThatCode(() -> strict.checkAddress(address)).doesNotThrowAnyException();
  }

  @Test
  void allowPrivateAddressesAdmitsPrivateResolvedAddressesButNotMetadata() throws Exception {
    assertThatCode(() -> permissive.checkAddress(InetAddress.getByName("10.0.0.1")))
        .doesNotThrowAnyException();
    assertThatCode(() -> permissive.checkAddress(ipv6("::ffff:192.168.0.1")))
        .doesNotThrowAnyException();
    assertThat(refusal(permissive, InetAddress.getByName("169.254.169.254")))
        .isEqualTo(Rule.CLOUD_METADATA);
  }

  @Test
  void policiesWithTheSameOptionsAreEqual() {
    assertThat(UrlPolicy.of(false, false)).isSameAs(UrlPolicy.strict());
    assertThat(UrlPolicy.of(true, true)).isEqualTo(permissive).hasSameHashCodeAs(permissive);
    assertThat(UrlPolicy.of(true, false)).isNotEqualTo(UrlPolicy.of(false, true));
  }
}
