package io.cortex.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {

  @Test
  void generatedSecretHas32RandomBytesByDefault() {
    WebhookSecret secret = WebhookSecret.generate();

    assertThat(secret.length()).isEqualTo(32);
    assertThat(secret.reveal()).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(secret.reveal().substring(6))).hasSize(32);
  }

  @Test
  void generatedSecretsDiffer() {
    Set<WebhookSecret> secrets = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      secrets.add(WebhookSecret.generate());
    }
    assertThat(secrets).hasSize(100);
  }

  @Test
  void generateAcceptsTheSpecificationRangeOnly() {
    assertThat(WebhookSecret.generate(24).length()).isEqualTo(24);
    assertThat(WebhookSecret.generate(64).length()).isEqualTo(64);
    assertThatThrownBy(() -> WebhookSecret.generate(23))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("numBytes must be 24 to 64, was 23");
    assertThatThrownBy(() -> WebhookSecret.generate(65))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 65");
  }

  @Test
  void parseRoundTripsTheTextForm() {
    WebhookSecret secret = WebhookSecret.generate();

    assertThat(WebhookSecret.parse(secret.reveal())).isEqualTo(secret);
    assertThat(WebhookSecret.parse(SpecVectors.SECRET).reveal()).isEqualTo(SpecVectors.SECRET);
  }

  @Test
  void parseIgnoresSurroundingWhitespace() {
    assertThat(WebhookSecret.parse("  " + SpecVectors.SECRET + "\n"))
        .isEqualTo(WebhookSecret.parse(SpecVectors.SECRET));
  }

  @Test
  void parseRequiresThePrefixAndSaysSo() {
    assertThatThrownBy(() -> WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webhook secret must start with 'whsec_' followed by base64 "
            + "(Standard Webhooks format)");
  }

  @Test
  void parseRejectsInvalidBase64WithoutEchoingTheSecret() {
    String text = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La!aSw";

    assertThatThrownBy(() -> WebhookSecret.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be standard base64")
        .message().doesNotContain("MfKQ9r8G");
  }

  @Test
  void parseRejectsEmptyAndShortSecretsNamingTheLengthRule() {
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webhook secret has nothing after 'whsec_'");
    String short16 = "whsec_" + Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> WebhookSecret.parse(short16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webhook secret must hold 24 to 64 bytes (Standard Webhooks), but holds 16");
  }

  @Test
  void parseRejectsNullWithTheHouseMessage() {
    assertThatThrownBy(() -> WebhookSecret.parse(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("webhook secret cannot be null");
  }

  @Test
  void toStringNeverShowsKeyMaterial() {
    WebhookSecret secret = WebhookSecret.parse(SpecVectors.SECRET);

    assertThat(secret.toString())
        .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .doesNotContain("MfKQ")
        .isEqualTo("WebhookSecret[whsec_***, 24 bytes, " + secret.fingerprint() + "]");
    assertThat(secret.fingerprint()).matches("sha256:[0-9a-f]{8}");
  }

  @Test
  void ofBytesCopiesTheArray() {
    byte[] key = new byte[32];
    WebhookSecret secret = WebhookSecret.ofBytes(key);
    key[0] = 1;

    assertThat(secret).isEqualTo(WebhookSecret.ofBytes(new byte[32]));
  }

  @Test
  void secretsWithDifferentKeysAreNotEqual() {
    assertThat(WebhookSecret.ofBytes(new byte[32])).isNotEqualTo(WebhookSecret.ofBytes(new byte[33]))
        .isNotEqualTo(WebhookSecret.generate());
  }
}
