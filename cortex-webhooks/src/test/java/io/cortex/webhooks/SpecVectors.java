package io.cortex.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Known-answer vectors of the Standard Webhooks reference libraries
 * (standard-webhooks/standard-webhooks: {@code libraries/java/.../WebhookTest#verifyWebhookSignWorks}
 * for v1, {@code libraries/go/webhook_asymmetric_test.go#TestAsymmetricWebhookSign} for v1a).
 */
final class SpecVectors {

  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long TIMESTAMP = 1614265330L;
  static final String PAYLOAD = "{\"test\": 2432232314}";
  static final String V1_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  /** The Go test passes the seed without prefix; the specification writes private keys whsk_. */
  static final String SIGNING_KEY = "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=";
  static final String V1A_SIGNATURE = "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHe"
      + "YGb7KaaBRdM5WqyeFiL8Ag==";

  private SpecVectors() {}

  static byte[] payload() {
    return PAYLOAD.getBytes(StandardCharsets.UTF_8);
  }

  static Clock clockAt(long epochSeconds) {
    return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
  }
}
