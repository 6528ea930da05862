package io.cortex.benchmarks.webhooks;

import com.standardwebhooks.Webhook;
import io.cortex.webhooks.SignatureHeaders;
import io.cortex.webhooks.VerifiedWebhook;
import io.cortex.webhooks.WebhookSecret;
import io.cortex.webhooks.WebhookSigner;
import io.cortex.webhooks.WebhookVerificationException;
import io.cortex.webhooks.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sign and verify throughput of Cortex's Standard Webhooks implementation against a bare
 * {@code javax.crypto.Mac} HMAC-SHA256 over the same signed content (the floor) and against the
 * reference library {@code com.standardwebhooks:standardwebhooks}.
 *
 * <p>Target: {@code cortexVerify} within 1.3× of {@code bareMac}, faster than
 * {@code referenceVerify}. The reference verifier reads the system clock, so messages are re-signed
 * with the current time before every iteration.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar WebhookSignatureBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WebhookSignatureBenchmark {

  private static final String ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

  /** Body size in bytes: 1 KiB (a typical event) and 64 KiB (a large one). */
  @Param({"1024", "65536"})
  public int payloadSize;

  private byte[] body;
  private String bodyText;
  private WebhookSigner signer;
  private WebhookVerifier verifier;
  private Webhook reference;
  private Mac bareMac;
  private long timestamp;
  private byte[] prefix;
  private Map<String, String> headers;
  private Map<String, List<String>> referenceHeaders;

  @Setup(Level.Trial)
  public void setUpTrial() throws GeneralSecurityException {
    WebhookSecret secret = WebhookSecret.generate();
    // printable ASCII JSON-like bytes, so the reference library's String API sees the same bytes
    Random random = new Random(42);
    body = new byte[payloadSize];
    body[0] = '{';
    for (int i = 1; i < payloadSize - 1; i++) {
      body[i] = (byte) ('a' + random.nextInt(26));
    }
    body[payloadSize - 1] = '}';
    bodyText = new String(body, StandardCharsets.US_ASCII);
    signer = WebhookSigner.builder().secret(secret).clock(Clock.systemUTC()).build();
    verifier = WebhookVerifier.builder().secret(secret).clock(Clock.systemUTC()).build();
    reference = new Webhook(secret.reveal());
    bareMac = Mac.getInstance("HmacSHA256");
    bareMac.init(new SecretKeySpec(
        Base64.getDecoder().decode(secret.reveal().substring(6)), "HmacSHA256"));
  }

  @Setup(Level.Iteration)
  public void signNow() {
    SignatureHeaders signed = signer.sign(ID, body);
    timestamp = signed.timestamp();
    prefix = (ID + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    headers = signed.asMap();
    referenceHeaders = Map.of(
        "webhook-id", List.of(signed.id()),
        "webhook-timestamp", List.of(Long.toString(signed.timestamp())),
        "webhook-signature", List.of(signed.signature()));
  }

  /** The floor: HMAC-SHA256 of {@code id.timestamp.body} with a ready {@code Mac}. */
  @Benchmark
  public byte[] bareMac() {
    bareMac.update(prefix);
    bareMac.update(body);
    return bareMac.doFinal();
  }

  @Benchmark
  public SignatureHeaders cortexSign() {
    return signer.sign(ID, timestamp, body);
  }

  @Benchmark
  public VerifiedWebhook cortexVerify() throws WebhookVerificationException {
    return verifier.verify(body, headers);
  }

  @Benchmark
  public String referenceSign() throws Exception {
    return reference.sign(ID, timestamp, bodyText);
  }

  @Benchmark
  public Map<String, List<String>> referenceVerify() throws Exception {
    reference.verify(bodyText, referenceHeaders);
    return referenceHeaders;
  }
}
