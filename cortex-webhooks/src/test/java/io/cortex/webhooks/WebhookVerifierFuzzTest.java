package io.cortex.webhooks;

import static io.cortex.webhooks.SpecVectors.MSG_ID;
import static io.cortex.webhooks.SpecVectors.TIMESTAMP;
import static io.cortex.webhooks.SpecVectors.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Throws hostile headers and bodies at the verifier: the only acceptable outcomes are success or a
 * {@link WebhookVerificationException} with a reason and a bounded message. The seed is fixed so a
 * failure reproduces; the failing iteration is named in the assertion.
 */
class WebhookVerifierFuzzTest {

  private static final long SEED = 0x5EB_400CL;
  private static final int ITERATIONS = 4_000;

  private final WebhookSecret secret = WebhookSecret.parse(SpecVectors.SECRET);
  private final WebhookSigningKey signingKey = WebhookSigningKey.parse(SpecVectors.SIGNING_KEY);
  private final WebhookVerifier verifier = WebhookVerifier.builder()
      .secret(secret).publicKey(signingKey.publicKey()).clock(clockAt(TIMESTAMP)).build();
  private final WebhookSigner signer =
      WebhookSigner.builder().secret(secret).signingKey(signingKey).build();
  private final Random random = new Random(SEED);

  @Test
  void hostileInputYieldsOnlySuccessOrAVerificationException() {
    Set<WebhookVerificationException.Reason> seen =
        EnumSet.noneOf(WebhookVerificationException.Reason.class);
    int successes = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] body = body();
      Map<String, Object> headers = headers(body);
      try {
        verifier.verify(body, headers);
        successes++;
      } catch (WebhookVerificationException e) {
        assertThat(e.getMessage()).as("iteration %d", i).isNotBlank().hasSizeLessThan(600);
        seen.add(e.reason());
      } catch (RuntimeException e) {
        throw new AssertionError("iteration " + i + " threw " + e + " for headers "
            + describe(headers), e);
      }
    }
    // the generator reaches every outcome, so the loop above exercised each path
    assertThat(seen).containsExactlyInAnyOrderElementsOf(
        EnumSet.allOf(WebhookVerificationException.Reason.class));
    assertThat(successes).isPositive();
  }

  @Test
  void aMutatedSignatureVerifiesOnlyIfItStillEncodesTheSameBytes() {
    byte[] body = SpecVectors.payload();
    String valid = SpecVectors.V1_SIGNATURE;
    byte[] validBytes = Base64.getDecoder().decode(valid.substring(3));
    int mutations = 0;
    for (int i = 0; i < valid.length(); i++) {
      for (char c : new char[] {'A', 'h', '/', '+', '=', ' ', ',', '\u00e9', '\u0000'}) {
        if (valid.charAt(i) == c) {
          continue;
        }
        String mutated = valid.substring(0, i) + c + valid.substring(i + 1);
        Map<String, String> headers = Map.of("webhook-id", MSG_ID,
            "webhook-timestamp", Long.toString(TIMESTAMP), "webhook-signature", mutated);
        boolean verified;
        try {
          verifier.verify(body, headers);
          verified = true;
        } catch (WebhookVerificationException e) {
          verified = false;
        }
        // header values are trimmed, so a mutated trailing '=' leaves a valid unpadded signature
        String token = mutated.strip();
        boolean sameSignature = token.startsWith("v1,") && token.indexOf(' ') < 0
            && Arrays.equals(decodeOrNull(token), validBytes);
        assertThat(verified).as("mutation %s", mutated).isEqualTo(sameSignature);
        mutations++;
      }
    }
    assertThat(mutations).isGreaterThan(300);
  }

  private static byte[] decodeOrNull(String signature) {
    try {
      return Base64.getDecoder().decode(signature.substring(3));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private byte[] body() {
    switch (random.nextInt(4)) {
      case 0:
        return new byte[0];
      case 1:
        return SpecVectors.payload();
      case 2:
        byte[] b = new byte[random.nextInt(4096)];
        random.nextBytes(b);
        return b;
      default:
        return randomString(200).getBytes(StandardCharsets.UTF_8);
    }
  }

  private Map<String, Object> headers(byte[] body) {
    long timestamp = TIMESTAMP + (random.nextBoolean() ? 0 : random.nextInt(1200) - 600);
    SignatureHeaders valid = signer.sign(MSG_ID, timestamp, body);
    Map<String, Object> headers = new HashMap<>();
    putHeader(headers, "webhook-id", () -> valid.id());
    putHeader(headers, "webhook-timestamp", () -> Long.toString(valid.timestamp()));
    putHeader(headers, "webhook-signature", this::hostileSignature);
    if (random.nextInt(10) == 0) {
      headers.put(null, "null key");
    }
    if (random.nextInt(5) == 0) {
      // a valid header among the hostile ones
      headers.put("Webhook-Signature", valid.signature());
    }
    return headers;
  }

  private void putHeader(Map<String, Object> headers, String name, Supplier<String> valid) {
    String key = random.nextInt(4) == 0 ? name.toUpperCase() : name;
    switch (random.nextInt(12)) {
      case 0:
        return; // absent
      case 1:
        headers.put(key, null);
        return;
      case 2:
        headers.put(key, "");
        return;
      case 3:
        headers.put(key, randomString(random.nextInt(100)));
        return;
      case 4:
        headers.put(key, randomString(100_000));
        return;
      case 5:
        headers.put(key, Arrays.asList(null, valid.get(), randomString(10)));
        return;
      case 6:
        headers.put(key, List.of());
        return;
      case 7:
        headers.put(key, new String[] {randomString(5), valid.get()});
        return;
      case 8:
        headers.put(key, "-" + valid.get());
        return;
      default:
        headers.put(key, valid.get());
    }
  }

  private String hostileSignature() {
    switch (random.nextInt(12)) {
      case 0:
        return "v1," + randomString(44);
      case 1:
        return "v1a," + randomString(88);
      case 2:
        return "v1," + Base64.getEncoder().encodeToString(randomBytes(32));
      case 3:
        return "v1a," + Base64.getEncoder().encodeToString(randomBytes(64));
      case 4:
        return "v1," + Base64.getEncoder().encodeToString(randomBytes(random.nextInt(100)));
      case 5: {
        List<String> many = new ArrayList<>();
        for (int i = random.nextInt(2_000); i >= 0; i--) {
          many.add("v1," + Base64.getEncoder().encodeToString(randomBytes(32)));
        }
        return String.join(" ", many);
      }
      case 6:
        return "v" + random.nextInt(10) + "," + Base64.getEncoder().encodeToString(randomBytes(32));
      case 7:
        return " ".repeat(random.nextInt(5)) + "," + randomString(3) + " \t ";
      case 8:
        return randomString(random.nextInt(300));
      case 9:
        return "v1,".repeat(random.nextInt(1000));
      case 10:
        return "v1," + "=".repeat(44);
      default:
        return "v2," + randomString(44) + " " + randomString(20);
    }
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Any UTF-16 code unit, including controls, non-ASCII and lone surrogates. */
  private String randomString(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(4);
      chars[i] = kind == 0 ? (char) random.nextInt(0x10000)
          : kind == 1 ? (char) random.nextInt(0x20)
          : (char) (0x20 + random.nextInt(0x5f));
    }
    return new String(chars);
  }

  private static String describe(Map<String, Object> headers) {
    StringBuilder out = new StringBuilder();
    headers.forEach((k, v) -> {
      String value = v instanceof Object[] ? Arrays.toString((Object[]) v) : String.valueOf(v);
      out.append(k).append('=').append(value, 0, Math.min(value.length(), 120)).append("; ");
    });
    return out.toString();
  }
}
