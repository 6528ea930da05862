package io.cortex.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookKeyPairTest {

  @Test
  void signingKeyRoundTripsThroughItsTextForm() {
    WebhookSigningKey key = WebhookSigningKey.generate();

    assertThat(key.reveal()).startsWith("whsk_");
    assertThat(WebhookSigningKey.parse(key.reveal())).isEqualTo(key);
    assertThat(Base64.getDecoder().decode(key.reveal().substring(5))).hasSize(32);
  }

  @Test
  void publicKeyRoundTripsThroughItsTextForm() {
    WebhookPublicKey publicKey = WebhookSigningKey.generate().publicKey();

    assertThat(publicKey.encoded()).startsWith("whpk_");
    assertThat(WebhookPublicKey.parse(publicKey.encoded())).isEqualTo(publicKey);
    assertThat(publicKey.toBytes()).hasSize(32);
  }

  @Test
  void signingKeyAcceptsTheSixtyFourByteSeedPlusPublicKeyForm() {
    WebhookSigningKey key = WebhookSigningKey.parse(SpecVectors.SIGNING_KEY);
    byte[] seed = Base64.getDecoder().decode(SpecVectors.SIGNING_KEY.substring(5));
    byte[] full = Arrays.copyOf(seed, 64);
    System.arraycopy(key.publicKey().toBytes(), 0, full, 32, 32);

    assertThat(WebhookSigningKey.ofBytes(full)).isEqualTo(key);
    assertThat(WebhookSigningKey.ofBytes(full).reveal()).isEqualTo(SpecVectors.SIGNING_KEY);
  }

  @Test
  void signingKeyRejectsSixtyFourBytesWhoseHalvesDoNotMatch() {
    byte[] full = new byte[64];

    assertThatThrownBy(() -> WebhookSigningKey.ofBytes(full))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webhook signing key's last 32 bytes are not the public key of its seed");
  }

  @Test
  void signingKeyRejectsOtherLengthsAndPrefixes() {
    assertThatThrownBy(() -> WebhookSigningKey.ofBytes(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webhook signing key must be a 32-byte Ed25519 seed (or 64-byte seed || "
            + "public key), but is 31 bytes");
    assertThatThrownBy(() -> WebhookSigningKey.parse(SpecVectors.SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("webhook signing key must start with 'whsk_'");
  }

  @Test
  void publicKeyRejectsWrongLengthPrefixAndInvalidPoints() {
    assertThatThrownBy(() -> WebhookPublicKey.ofBytes(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webhook public key must be 32 bytes (raw Ed25519 public key), but is 16");
    assertThatThrownBy(() -> WebhookPublicKey.parse("whsk_" + "A".repeat(43) + "="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("webhook public key must start with 'whpk_'");
    // y = 2 is not the y-coordinate of any point on edwards25519
    byte[] notOnCurve = new byte[32];
    notOnCurve[0] = 2;
    assertThatThrownBy(() -> WebhookPublicKey.ofBytes(notOnCurve))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webhook public key is not a valid Ed25519 point");
  }

  @Test
  void signingKeyToStringShowsOnlyThePublicKey() {
    WebhookSigningKey key = WebhookSigningKey.parse(SpecVectors.SIGNING_KEY);

    assertThat(key.toString())
        .doesNotContain(SpecVectors.SIGNING_KEY.substring(5))
        .isEqualTo("WebhookSigningKey[whsk_***, public " + key.publicKey().encoded() + "]");
  }
}
