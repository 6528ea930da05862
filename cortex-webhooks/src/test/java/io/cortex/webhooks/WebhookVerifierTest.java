package io.cortex.webhooks;

import static io.cortex.webhooks.SpecVectors.MSG_ID;
import static io.cortex.webhooks.SpecVectors.TIMESTAMP;
import static io.cortex.webhooks.SpecVectors.clockAt;
import static io.cortex.webhooks.SpecVectors.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cortex.webhooks.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookVerifierTest {

  private final WebhookSecret secret = WebhookSecret.parse(SpecVectors.SECRET);
  private final WebhookVerifier verifier =
      WebhookVerifier.builder().secret(secret).clock(clockAt(TIMESTAMP)).build();

  private static Map<String, String> headers(String id, String timestamp, String signature) {
    Map<String, String> headers = new HashMap<>();
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", timestamp);
    headers.put("webhook-signature", signature);
    return headers;
  }

  private static Map<String, String> vectorHeaders() {
    return headers(MSG_ID, Long.toString(TIMESTAMP), SpecVectors.V1_SIGNATURE);
  }

  private WebhookVerificationException failure(WebhookVerifier v, byte[] body,
      Map<String, ?> headers) {
    return catchThrowableOfType(WebhookVerificationException.class, () -> v.verify(body, headers));
  }

  @Test
  void specificationVectorVerifies() throws Exception {
    VerifiedWebhook verified = verifier.verify(payload(), vectorHeaders());

    assertThat(verified)
        .isEqualTo(new VerifiedWebhook(MSG_ID, Instant.ofEpochSecond(TIMESTAMP), "v1"));
  }

  @Test
  void headerNamesMatchCaseInsensitivelyInEveryMapShape() throws Exception {
    Map<String, String> mixedCase = Map.of("Webhook-Id", MSG_ID,
        "WEBHOOK-TIMESTAMP", Long.toString(TIMESTAMP), "Webhook-Signature", SpecVectors.V1_SIGNATURE);
    Map<String, List<String>> multi = Map.of("Webhook-Id", List.of(MSG_ID),
        "webhook-Timestamp", List.of(Long.toString(TIMESTAMP)),
        "webhook-signature", List.of(SpecVectors.V1_SIGNATURE));
    Map<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.putAll(mixedCase);

    assertThat(verifier.verify(payload(), mixedCase).id()).isEqualTo(MSG_ID);
    assertThat(verifier.verify(payload(), multi).id()).isEqualTo(MSG_ID);
    assertThat(verifier.verify(payload(), caseInsensitive::get).id()).isEqualTo(MSG_ID);
  }

  @Test
  void signaturesSentOnSeveralHeaderLinesAreAllConsidered() throws Exception {
    Map<String, List<String>> headers = Map.of("webhook-id", List.of(MSG_ID),
        "webhook-timestamp", List.of(Long.toString(TIMESTAMP)),
        "webhook-signature", List.of("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            SpecVectors.V1_SIGNATURE));

    assertThat(verifier.verify(payload(), headers).version()).isEqualTo("v1");
  }

  @Test
  void surroundingWhitespaceInHeaderValuesIsIgnored() throws Exception {
    Map<String, String> headers = headers(" " + MSG_ID + " ", "\t" + TIMESTAMP + " ",
        "  " + SpecVectors.V1_SIGNATURE + "  ");

    assertThat(verifier.verify(payload(), headers).id()).isEqualTo(MSG_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
  void missingHeaderIsNamed(String header) {
    Map<String, String> headers = vectorHeaders();
    headers.remove(header);

    WebhookVerificationException e = failure(verifier, payload(), headers);

    assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADER);
    assertThat(e.header()).contains(header);
    assertThat(e).hasMessage("missing header " + header);
  }

  @Test
  void blankHeaderCountsAsMissing() {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-signature", "   ");

    WebhookVerificationException e = failure(verifier, payload(), headers);

    assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADER);
    assertThat(e).hasMessage("missing header webhook-signature (present but blank)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1614265330", "+1614265330", "1614265330.5", "1e9",
      "1234567890123456789", "１６１４２６５３３０"})
  void timestampMustBePlainDigits(String timestamp) {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-timestamp", timestamp);

    WebhookVerificationException e = failure(verifier, payload(), headers);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_TIMESTAMP);
    assertThat(e).hasMessageStartingWith("webhook-timestamp must be unix seconds written as 1 to "
        + "18 digits, but is ");
  }

  @Test
  void timestampExactlyAtTheToleranceIsAcceptedInBothDirections() throws Exception {
    WebhookVerifier past = WebhookVerifier.builder().secret(secret)
        .clock(clockAt(TIMESTAMP + 300)).build();
    WebhookVerifier future = WebhookVerifier.builder().secret(secret)
        .clock(clockAt(TIMESTAMP - 300)).build();

    assertThat(past.verify(payload(), vectorHeaders()).id()).isEqualTo(MSG_ID);
    assertThat(future.verify(payload(), vectorHeaders()).id()).isEqualTo(MSG_ID);
  }

  @Test
  void timestampOneSecondTooOldIsRefusedWithTheSkew() {
    WebhookVerifier late = WebhookVerifier.builder().secret(secret)
        .clock(clockAt(TIMESTAMP + 301)).build();

    WebhookVerificationException e = failure(late, payload(), vectorHeaders());

    assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    assertThat(e).hasMessage("webhook-timestamp 1614265330 is 301 seconds in the past, beyond the "
        + "tolerance of 300 seconds (replay protection; check the clocks and delivery delays)");
  }

  @Test
  void timestampOneSecondTooNewIsRefusedWithTheSkew() {
    WebhookVerifier early = WebhookVerifier.builder().secret(secret)
        .clock(clockAt(TIMESTAMP - 301)).build();

    WebhookVerificationException e = failure(early, payload(), vectorHeaders());

    assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_TOO_NEW);
    assertThat(e).hasMessage("webhook-timestamp 1614265330 is 301 seconds in the future, beyond "
        + "the tolerance of 300 seconds (check the clocks)");
  }

  @Test
  void toleranceIsConfigurable() throws Exception {
    WebhookVerifier strict = WebhookVerifier.builder().secret(secret)
        .tolerance(Duration.ofSeconds(10)).clock(clockAt(TIMESTAMP + 11)).build();
    WebhookVerifier lenient = WebhookVerifier.builder().secret(secret)
        .tolerance(Duration.ofHours(1)).clock(clockAt(TIMESTAMP + 3000)).build();

    assertThat(failure(strict, payload(), vectorHeaders()).reason())
        .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
    assertThat(lenient.verify(payload(), vectorHeaders()).id()).isEqualTo(MSG_ID);
  }

  @Test
  void timestampIsCheckedBeforeTheSignature() {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-timestamp", Long.toString(TIMESTAMP - 3600));

    assertThat(failure(verifier, payload(), headers).reason())
        .isEqualTo(Reason.TIMESTAMP_TOO_OLD);
  }

  @Test
  void alteredBodyDoesNotVerify() {
    byte[] altered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

    WebhookVerificationException e = failure(verifier, altered, vectorHeaders());

    assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE);
    assertThat(e).hasMessage("none of the 1 v1 signature(s) in webhook-signature matches the "
        + "verifier's 1 secret(s) (wrong secret, or body altered or re-serialized?)");
  }

  @Test
  void reSerializedJsonDoesNotVerifyBecauseRawBytesAreSigned() {
    byte[] minified = "{\"test\":2432232314}".getBytes(StandardCharsets.UTF_8);

    assertThat(failure(verifier, minified, vectorHeaders()).reason())
        .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void alteredIdOrTimestampDoesNotVerify() {
    Map<String, String> otherId = vectorHeaders();
    otherId.put("webhook-id", "msg_other");
    Map<String, String> otherTime = vectorHeaders();
    otherTime.put("webhook-timestamp", Long.toString(TIMESTAMP + 1));

    assertThat(failure(verifier, payload(), otherId).reason())
        .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
    assertThat(failure(verifier, payload(), otherTime).reason())
        .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void wrongSecretDoesNotVerify() {
    WebhookVerifier other = WebhookVerifier.builder().secret(WebhookSecret.generate())
        .clock(clockAt(TIMESTAMP)).build();

    assertThat(failure(other, payload(), vectorHeaders()).reason())
        .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void validSignatureAmongUnknownVersionsAndWrongSignaturesVerifies() throws Exception {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-signature", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
        + "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= garbage " + SpecVectors.V1_SIGNATURE
        + " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");

    assertThat(verifier.verify(payload(), headers).id()).isEqualTo(MSG_ID);
  }

  @Test
  void onlyUnknownVersionsIsUnsupportedVersion() {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-signature", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v3,abc");

    WebhookVerificationException e = failure(verifier, payload(), headers);

    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
    assertThat(e).hasMessage("webhook-signature carries only signature version(s) \"v2\", \"v3\"; "
        + "this verifier accepts v1");
  }

  @Test
  void v1aSignatureIsUnsupportedForAVerifierWithoutPublicKeys() {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-signature", SpecVectors.V1A_SIGNATURE);

    assertThat(failure(verifier, payload(), headers).reason())
        .isEqualTo(Reason.UNSUPPORTED_VERSION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1,", ",abc", "v1,not-base64!!", "v1,Zm9v",
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA",
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=,extra",
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1O\u00e9="})
  void signatureThatCannotBeCheckedIsMalformed(String signature) {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-signature", signature);

    WebhookVerificationException e = failure(verifier, payload(), headers);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
    assertThat(e).hasMessageStartingWith("webhook-signature holds no well-formed signature to "
        + "check: ");
  }

  @Test
  void wellFormedButWrongSignatureOutranksMalformedOnes() {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-signature", "v1,??? v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");

    assertThat(failure(verifier, payload(), headers).reason())
        .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void moreSignaturesThanTheLimitIsMalformedEvenIfAValidOneFollows() {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-signature",
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ".repeat(WebhookVerifier.MAX_SIGNATURES)
            + SpecVectors.V1_SIGNATURE);

    WebhookVerificationException e = failure(verifier, payload(), headers);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
    assertThat(e).hasMessage("webhook-signature carries more than 32 signatures");
  }

  @Test
  void rotationOverlapVerifiesWithEitherTheOldOrTheNewSecret() throws Exception {
    WebhookSecret oldSecret = secret;
    WebhookSecret newSecret = WebhookSecret.generate();
    SignatureHeaders headers = WebhookSigner.builder().secret(newSecret).secret(oldSecret).build()
        .sign(MSG_ID, TIMESTAMP, payload());
    WebhookVerifier receiverNotYetRotated = verifier;
    WebhookVerifier receiverRotated = WebhookVerifier.builder().secret(newSecret)
        .clock(clockAt(TIMESTAMP)).build();

    assertThat(receiverNotYetRotated.verify(payload(), headers.asMap()).id()).isEqualTo(MSG_ID);
    assertThat(receiverRotated.verify(payload(), headers.asMap()).id()).isEqualTo(MSG_ID);
  }

  @Test
  void verifierHoldingSeveralSecretsAcceptsAnyOfThem() throws Exception {
    WebhookVerifier both = WebhookVerifier.builder().secret(WebhookSecret.generate())
        .secret(secret).clock(clockAt(TIMESTAMP)).build();

    assertThat(both.verify(payload(), vectorHeaders()).id()).isEqualTo(MSG_ID);
  }

  @Test
  void ed25519SignatureVerifiesWithThePublicKey() throws Exception {
    WebhookSigningKey key = WebhookSigningKey.parse(SpecVectors.SIGNING_KEY);
    WebhookVerifier v1a = WebhookVerifier.builder().publicKey(key.publicKey())
        .clock(clockAt(TIMESTAMP)).build();
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-signature", SpecVectors.V1_SIGNATURE + " " + SpecVectors.V1A_SIGNATURE);

    assertThat(v1a.verify(payload(), headers).version()).isEqualTo("v1a");
  }

  @Test
  void ed25519SignatureOfAnotherKeyOrBodyDoesNotVerify() {
    WebhookVerifier other = WebhookVerifier.builder()
        .publicKey(WebhookSigningKey.generate().publicKey()).clock(clockAt(TIMESTAMP)).build();
    WebhookVerifier right = WebhookVerifier.builder()
        .publicKey(WebhookSigningKey.parse(SpecVectors.SIGNING_KEY).publicKey())
        .clock(clockAt(TIMESTAMP)).build();
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-signature", SpecVectors.V1A_SIGNATURE);

    assertThat(failure(other, payload(), headers).reason())
        .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
    assertThat(failure(right, new byte[0], headers).reason())
        .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void emptyBodyIsSignedAndVerifiedLikeAnyOther() throws Exception {
    SignatureHeaders headers = WebhookSigner.builder().secret(secret).build()
        .sign(MSG_ID, TIMESTAMP, new byte[0]);

    assertThat(verifier.verify(new byte[0], headers.asMap()).id()).isEqualTo(MSG_ID);
  }

  @Test
  void largeBinaryBodyRoundTrips() throws Exception {
    byte[] body = new byte[1 << 20];
    new Random(7).nextBytes(body);
    SignatureHeaders headers = WebhookSigner.builder().secret(secret).build()
        .sign(MSG_ID, TIMESTAMP, body);

    assertThat(verifier.verify(body, headers.asMap()).id()).isEqualTo(MSG_ID);
  }

  @Test
  void nullBodyOrHeadersIsAProgrammingError() {
    assertThatThrownBy(() -> verifier.verify(null, vectorHeaders()))
        .isInstanceOf(NullPointerException.class).hasMessage("body cannot be null");
    assertThatThrownBy(() -> verifier.verify(payload(), (Map<String, ?>) null))
        .isInstanceOf(NullPointerException.class).hasMessage("headers cannot be null");
  }

  @Test
  void builderRulesNameTheOption() {
    assertThatThrownBy(() -> WebhookVerifier.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a WebhookVerifier needs at least one secret or public key");
    assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tolerance must be at least 1 second, was PT0.5S");
    assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ofMinutes(1))
            .tolerance(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("tolerance already set to PT1M");
    assertThat(WebhookVerifier.builder().secret(secret).build().tolerance())
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void hostileHeaderValuesAreEscapedAndShortenedInMessages() {
    Map<String, String> headers = vectorHeaders();
    headers.put("webhook-timestamp", "\u001b[31m" + "9".repeat(10_000) + "\r\nX-Forged: 1");

    WebhookVerificationException e = failure(verifier, payload(), headers);

    assertThat(e.getMessage()).hasSizeLessThan(200).doesNotContain("\r", "\n", "\u001b")
        .contains("\\u001b[31m").contains("(10018 chars)");
  }
}
