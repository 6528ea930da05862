package io.cortex.webhooks;

import static io.cortex.webhooks.SpecVectors.MSG_ID;
import static io.cortex.webhooks.SpecVectors.TIMESTAMP;
import static io.cortex.webhooks.SpecVectors.clockAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cortex against the reference Java library {@code com.standardwebhooks:standardwebhooks}. The
 * reference verifier reads the system clock, so messages it verifies are signed with
 * {@link Clock#systemUTC()}.
 */
class StandardWebhooksInteropTest {

  private static final String[] BODIES = {
      SpecVectors.PAYLOAD,
      "",
      "{\"type\":\"job.status.changed\",\"data\":{\"job\":\"job_1\",\"name\":\"Zo\u00eb \uD83D\uDE80\"}}",
      "not json at all, with . dots . and spaces",
  };

  private final WebhookSecret secret = WebhookSecret.parse(SpecVectors.SECRET);

  private static Map<String, List<String>> multiMap(SignatureHeaders headers) {
    return Map.of("webhook-id", List.of(headers.id()),
        "webhook-timestamp", List.of(Long.toString(headers.timestamp())),
        "webhook-signature", List.of(headers.signature()));
  }

  @Test
  void referenceLibrarySignsTheSpecificationVectorLikeCortex() throws Exception {
    String reference = new Webhook(SpecVectors.SECRET).sign(MSG_ID, TIMESTAMP, SpecVectors.PAYLOAD);
    String cortex = WebhookSigner.builder().secret(secret).build()
        .sign(MSG_ID, TIMESTAMP, SpecVectors.payload()).signature();

    assertThat(reference).isEqualTo(SpecVectors.V1_SIGNATURE);
    assertThat(cortex).isEqualTo(reference);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void whatCortexSignsTheReferenceLibraryVerifies(int bodyIndex) {
    String body = BODIES[bodyIndex];
    SignatureHeaders headers = WebhookSigner.builder().secret(secret).clock(Clock.systemUTC())
        .build().sign("msg_" + bodyIndex, body.getBytes(StandardCharsets.UTF_8));

    assertThatCode(() -> new Webhook(SpecVectors.SECRET).verify(body, multiMap(headers)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void whatTheReferenceLibrarySignsCortexVerifies(int bodyIndex) throws Exception {
    String body = BODIES[bodyIndex];
    long timestamp = TIMESTAMP + bodyIndex;
    String signature = new Webhook(SpecVectors.SECRET).sign(MSG_ID, timestamp, body);
    WebhookVerifier verifier =
        WebhookVerifier.builder().secret(secret).clock(clockAt(timestamp)).build();

    VerifiedWebhook verified = verifier.verify(body.getBytes(StandardCharsets.UTF_8),
        Map.of("webhook-id", MSG_ID, "webhook-timestamp", Long.toString(timestamp),
            "webhook-signature", signature));

    assertThat(verified.id()).isEqualTo(MSG_ID);
  }

  @Test
  void referenceLibraryVerifiesACortexRotationHeaderWithEitherSecret() {
    WebhookSecret newSecret = WebhookSecret.generate();
    SignatureHeaders headers = WebhookSigner.builder().secret(newSecret).secret(secret)
        .signingKey(WebhookSigningKey.generate()).build()
        .sign(MSG_ID, SpecVectors.payload());

    assertThatCode(() -> new Webhook(SpecVectors.SECRET).verify(SpecVectors.PAYLOAD,
        multiMap(headers))).doesNotThrowAnyException();
    assertThatCode(() -> new Webhook(newSecret.reveal()).verify(SpecVectors.PAYLOAD,
        multiMap(headers))).doesNotThrowAnyException();
  }

  @Test
  void referenceLibraryRejectsACortexSignatureOverAnotherBody() {
    SignatureHeaders headers = WebhookSigner.builder().secret(secret).build()
        .sign(MSG_ID, SpecVectors.payload());

    assertThatThrownBy(() -> new Webhook(SpecVectors.SECRET).verify("{\"test\":2432232314}",
        multiMap(headers)))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class)
        .hasMessage("No matching signature found");
  }

  @Test
  void secretsGeneratedByCortexWorkInTheReferenceLibrary() throws Exception {
    WebhookSecret generated = WebhookSecret.generate();
    String reference = new Webhook(generated.reveal()).sign(MSG_ID, TIMESTAMP, "{}");

    assertThat(WebhookSigner.builder().secret(generated).build()
        .sign(MSG_ID, TIMESTAMP, "{}".getBytes(StandardCharsets.UTF_8)).signature())
        .isEqualTo(reference);
  }
}
