package io.cortex.client;

import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/** Stubs that answer differently at each attempt. */
final class WireMockSupport {
    private WireMockSupport() {}

    /**
     * {@code method path} answers {@code responses} in turn, one per request; the last one repeats.
     */
    static void respondInTurn(WireMockExtension wm, String method, String path, ResponseDefinitionBuilder... responses) {
        String scenario = method + " " + path;
        for (int i = 0; i < responses.length; i++) {
            ScenarioMappingBuilder m = request(method, urlPathEqualTo(path)).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "after-" + i);
            if (i < responses.length - 1) {
                m = m.willSetStateTo("after-" + (i + 1));
            }
            wm.stubFor(m.willReturn(responses[i]));
        }
    }
}
