package io.cortex.webhooks;

import static io.cortex.webhooks.SpecVectors.MSG_ID;
import static io.cortex.webhooks.SpecVectors.TIMESTAMP;
import static io.cortex.webhooks.SpecVectors.clockAt;
import static io.cortex.webhooks.SpecVectors.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  private final WebhookSecret secret = WebhookSecret.parse(SpecVectors.SECRET);

  @Test
  void v1SignatureMatchesTheSpecificationVector() {
    WebhookSigner signer = WebhookSigner.builder().secret(secret).build();

    SignatureHeaders headers = signer.sign(MSG_ID, TIMESTAMP, payload());

    assertThat(headers.signature()).isEqualTo(SpecVectors.V1_SIGNATURE);
  }

  @Test
  void v1aSignatureMatchesTheReferenceLibraryVector() {
    WebhookSigner signer = WebhookSigner.builder()
        .signingKey(WebhookSigningKey.parse(SpecVectors.SIGNING_KEY))
        .build();

    SignatureHeaders headers = signer.sign(MSG_ID, TIMESTAMP, payload());

    assertThat(headers.signature()).isEqualTo(SpecVectors.V1A_SIGNATURE);
  }

  @Test
  void timestampIsTheClockTimeOfTheAttemptInWholeSeconds() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP, 999_000_000), ZoneOffset.UTC);
    WebhookSigner signer = WebhookSigner.builder().secret(secret).clock(clock).build();

    SignatureHeaders headers = signer.sign(MSG_ID, payload());

    assertThat(headers.timestamp()).isEqualTo(TIMESTAMP);
    assertThat(headers.attemptTime()).isEqualTo(Instant.ofEpochSecond(TIMESTAMP));
    assertThat(headers.signature()).isEqualTo(SpecVectors.V1_SIGNATURE);
  }

  @Test
  void retryKeepsTheIdAndSignsTheNewAttemptTime() {
    WebhookSigner signer = WebhookSigner.builder().secret(secret).build();

    SignatureHeaders first = signer.sign(MSG_ID, TIMESTAMP, payload());
    SignatureHeaders retry = signer.sign(MSG_ID, TIMESTAMP + 5, payload());

    assertThat(retry.id()).isEqualTo(first.id());
    assertThat(retry.timestamp()).isEqualTo(TIMESTAMP + 5);
    assertThat(retry.signature()).isNotEqualTo(first.signature());
  }

  @Test
  void headersAreTheThreeStandardHeadersInOrder() {
    WebhookSigner signer = WebhookSigner.builder().secret(secret).build();

    Map<String, String> map = signer.sign(MSG_ID, TIMESTAMP, payload()).asMap();

    assertThat(map).containsExactly(
        Map.entry("webhook-id", MSG_ID),
        Map.entry("webhook-timestamp", "1614265330"),
        Map.entry("webhook-signature", SpecVectors.V1_SIGNATURE));
  }

  @Test
  void signerWithSeveralKeysSignsWithEachInOrderSpaceSeparated() {
    WebhookSecret other = WebhookSecret.generate();
    WebhookSigner signer = WebhookSigner.builder()
        .secrets(List.of(secret, other))
        .signingKey(WebhookSigningKey.parse(SpecVectors.SIGNING_KEY))
        .build();
    String expectedOther = WebhookSigner.builder().secret(other).build()
        .sign(MSG_ID, TIMESTAMP, payload()).signature();

    String header = signer.sign(MSG_ID, TIMESTAMP, payload()).signature();

    assertThat(header.split(" "))
        .containsExactly(SpecVectors.V1_SIGNATURE, expectedOther, SpecVectors.V1A_SIGNATURE);
  }

  @Test
  void signsRawBytesEvenWhenTheyAreNotUtf8() {
    WebhookSigner signer = WebhookSigner.builder().secret(secret).build();
    byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);

    assertThat(signer.sign(MSG_ID, TIMESTAMP, latin1).signature())
        .isNotEqualTo(signer.sign(MSG_ID, TIMESTAMP, utf8).signature());
  }

  @Test
  void idMustBeVisibleAsciiWithoutDots() {
    WebhookSigner signer = WebhookSigner.builder().secret(secret).build();

    assertThatThrownBy(() -> signer.sign("msg.1", TIMESTAMP, payload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be visible ASCII without '.', but has '.' at index 3");
    assertThatThrownBy(() -> signer.sign("msg 1", TIMESTAMP, payload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be visible ASCII without '.', but has U+0020 at index 3");
    assertThatThrownBy(() -> signer.sign("msg\r\nX-Evil: 1", TIMESTAMP, payload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+000D");
    assertThatThrownBy(() -> signer.sign("m\u00e9", TIMESTAMP, payload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+00E9");
    assertThatThrownBy(() -> signer.sign("", TIMESTAMP, payload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be 1 to 256 characters, was 0");
    assertThatThrownBy(() -> signer.sign("a".repeat(257), TIMESTAMP, payload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be 1 to 256 characters, was 257");
  }

  @Test
  void negativeTimestampsAndNullsAreRejected() {
    WebhookSigner signer = WebhookSigner.builder().secret(secret).build();

    assertThatThrownBy(() -> signer.sign(MSG_ID, -1L, payload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epochSeconds must not be negative, was -1");
    assertThatThrownBy(() -> signer.sign(MSG_ID, TIMESTAMP, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("body cannot be null");
    assertThatThrownBy(() -> signer.sign(null, TIMESTAMP, payload()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("id cannot be null");
  }

  @Test
  void builderRefusesNoKeysDuplicateKeysAndASecondClock() {
    assertThatThrownBy(() -> WebhookSigner.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a WebhookSigner needs at least one secret or signing key");
    assertThatThrownBy(() -> WebhookSigner.builder().secret(secret).secret(secret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was already added")
        .message().doesNotContain("MfKQ");
    assertThatThrownBy(() -> WebhookSigner.builder().clock(clockAt(1)).clock(clockAt(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("clock already set to FixedClock[1970-01-01T00:00:01Z");
  }

  @Test
  void signerIsSafeToShareBetweenThreads() throws Exception {
    WebhookSigner signer = WebhookSigner.builder().secret(secret).build();
    List<Thread> threads = new ArrayList<>();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 2_000; i++) {
          String sig = signer.sign(MSG_ID, TIMESTAMP, payload()).signature();
          if (!sig.equals(SpecVectors.V1_SIGNATURE)) {
            failures.add(sig);
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void toStringDoesNotRevealSecrets() {
    WebhookSigner signer = WebhookSigner.builder()
        .secret(secret)
        .signingKey(WebhookSigningKey.parse(SpecVectors.SIGNING_KEY))
        .build();

    assertThat(signer.toString())
        .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .doesNotContain(SpecVectors.SIGNING_KEY.substring(5));
  }
}
