package io.cortex.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cortex.core.json.CortexJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook receiver on a real loopback socket (WireMock) at {@code /hook}, answering 200 unless
 * told otherwise, and checking what it received the way a receiver would: every request must
 * verify with {@link WebhookVerifier}.
 */
final class Receiver implements AutoCloseable {

  static final String PATH = "/hook";

  final WireMockServer server;

  Receiver() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .containerThreads(40).jettyAcceptors(1).notifier(new Slf4jNotifier(false)));
    server.start();
    respond(aResponse().withStatus(200).withBody("ok"));
  }

  /** The endpoint URL, on 127.0.0.1. */
  String url() {
    return "http://127.0.0.1:" + server.port() + PATH;
  }

  /** Answers every request with {@code response} from now on. */
  Receiver respond(ResponseDefinitionBuilder response) {
    server.resetMappings();
    server.stubFor(post(urlEqualTo(PATH)).willReturn(response));
    return this;
  }

  /** Answers the n-th request with the n-th response, and later ones with the last. */
  Receiver respondInTurn(ResponseDefinitionBuilder... responses) {
    server.resetMappings();
    for (int i = 0; i < responses.length; i++) {
      String state = i == 0 ? Scenario.STARTED : "answer-" + i;
      var stub = post(urlEqualTo(PATH)).inScenario("turns").whenScenarioStateIs(state)
          .willReturn(responses[i]);
      if (i + 1 < responses.length) {
        stub = stub.willSetStateTo("answer-" + (i + 1));
      }
      server.stubFor(stub);
    }
    return this;
  }

  /** Every request received, in arrival order. */
  List<LoggedRequest> requests() {
    return server.findAll(postRequestedFor(urlEqualTo(PATH)));
  }

  /** The {@code webhook-id} of every request, in arrival order. */
  List<String> webhookIds() {
    return requests().stream().map(r -> r.getHeader(WebhookHeaders.ID)).toList();
  }

  /** Every body as JSON, in arrival order. */
  List<JsonNode> bodies() {
    List<JsonNode> out = new ArrayList<>();
    for (LoggedRequest r : requests()) {
      try {
        out.add(CortexJson.mapper().readTree(r.getBody()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /**
   * Verifies every received request as a receiver holding {@code secret} would, from the raw body
   * and headers WireMock logged; the verifier's clock is the test's, with a tolerance long enough
   * for the test to have moved it since.
   */
  List<VerifiedWebhook> verifyAll(WebhookSecret secret, Clock clock) {
    WebhookVerifier verifier = WebhookVerifier.builder().secret(secret).clock(clock)
        .tolerance(Duration.ofDays(30)).build();
    List<VerifiedWebhook> out = new ArrayList<>();
    for (LoggedRequest r : requests()) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (HttpHeader h : r.getHeaders().all()) {
        headers.put(h.key(), h.firstValue());
      }
      try {
        out.add(verifier.verify(r.getBody(), headers));
      } catch (WebhookVerificationException e) {
        throw new AssertionError("request " + headers + " does not verify: " + e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop();
  }
}
