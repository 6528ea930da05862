package io.cortex.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cortex.client.Fixtures.API_KEY;
import static io.cortex.client.Fixtures.JOB_ID;
import static io.cortex.client.Fixtures.aSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.cortex.core.job.Resources;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error answer becomes its typed exception, with status, problem and request id, and is not retried. */
class ErrorMappingTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final FakeTime time = new FakeTime();
    private CortexClient client;

    @AfterEach
    void close() {
        client.close();
    }

    private CortexClient client() {
        client = CortexClient.builder().baseUrl(wm.baseUrl()).apiKey(API_KEY).sleeper(time).clock(time).build();
        return client;
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of(400, "validation", ValidationException.class),
                Arguments.of(401, "unauthorized", AuthenticationException.class),
                Arguments.of(403, "forbidden", PermissionDeniedException.class),
                Arguments.of(404, "not-found", ResourceNotFoundException.class),
                Arguments.of(409, "conflict", ConflictException.class),
                Arguments.of(413, "payload-too-large", ValidationException.class),
                Arguments.of(422, "validation", ValidationException.class),
                Arguments.of(422, "idempotency-mismatch", ConflictException.class),
                Arguments.of(500, "internal", ServerException.class),
                Arguments.of(501, "unsupported", ServerException.class),
                Arguments.of(405, "method-not-allowed", UnexpectedResponseException.class));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("answers")
    void errorAnswerBecomesItsTypedExceptionAndIsNotRetried(int status, String type,
            Class<? extends CortexApiException> expected) {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/problem+json")
                .withBody(Fixtures.problem(type, status, "the detail of " + type))));

        CortexApiException e = catchThrowableOfType(CortexApiException.class,
                () -> client().jobs().updateResources(JOB_ID, Resources.of(1000, "1Gi", "10Gi")));

        assertThat(e).isExactlyInstanceOf(expected);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.method()).isEqualTo("PUT");
        assertThat(e.path()).isEqualTo("/api/plugin-core/jobs/" + JOB_ID.value());
        assertThat(e.problem()).hasValueSatisfying(p -> {
            assertThat(p.typeSuffix()).isEqualTo(type);
            assertThat(p.detail()).isEqualTo("the detail of " + type);
            assertThat(p.status()).isEqualTo(status);
        });
        assertThat(e.requestId()).contains("req_" + status);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.getMessage()).contains("PUT /api/plugin-core/jobs/" + JOB_ID.value(), "HTTP " + status,
                "the detail of " + type, "req_" + status).doesNotContain(API_KEY);
        wm.verify(1, anyRequestedFor(anyUrl()));
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void validationExceptionListsTheFieldErrors() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(400).withBody("""
                {"type":"https://cortex.io/problems/validation","title":"Invalid request","status":400,
                 "detail":"memory '12Zi' is not a valid quantity","requestId":"req_1",
                 "errors":[{"field":"resources.memory","rule":"format","message":"unknown suffix 'Zi'"},
                           {"field":"image","message":"required"}],
                 "hint":"see docs"}""")));

        ValidationException e = catchThrowableOfType(ValidationException.class, () -> client().jobs().submit(aSpec()));

        assertThat(e.fieldErrors()).containsExactly(new FieldError("resources.memory", "format", "unknown suffix 'Zi'"),
                new FieldError("image", null, "required"));
        assertThat(e.problem()).hasValueSatisfying(p -> assertThat(p.extensions()).containsEntry("hint", "see docs"));
        assertThat(e.getMessage()).contains("memory '12Zi' is not a valid quantity");
    }

    @Test
    void anAnswerWithoutProblemDetailsStillCarriesTheRequestIdHeader() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withHeader("X-Request-Id", "req_from_header")
                .withHeader("Content-Type", "text/html").withBody("<html>oops</html>")));

        ServerException e = catchThrowableOfType(ServerException.class, () -> client().jobs().get(JOB_ID));

        assertThat(e.problem()).isEmpty();
        assertThat(e.requestId()).contains("req_from_header");
        assertThat(e.getMessage()).contains("server error");
    }

    @Test
    void malformedJsonInASuccessIsAnUnexpectedResponseAndIsNotRetried() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("X-Request-Id", "req_bad").withBody("{\"id\": \"job_x\", \"spec\": ")));

        UnexpectedResponseException e = catchThrowableOfType(UnexpectedResponseException.class,
                () -> client().jobs().get(JOB_ID));

        assertThat(e.status()).isEqualTo(200);
        assertThat(e.getMessage()).contains("unreadable response body");
        assertThat(e.requestId()).contains("req_bad");
        assertThat(e.getCause()).isNotNull();
        wm.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void aWellFormedBodyOfTheWrongShapeIsAnUnexpectedResponse() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("[1,2,3]")));

        catchThrowableOfType(UnexpectedResponseException.class, () -> client().jobs().get(JOB_ID));

        wm.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void anEmptySuccessBodyIsAnUnexpectedResponse() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        UnexpectedResponseException e = catchThrowableOfType(UnexpectedResponseException.class,
                () -> client().jobs().get(JOB_ID));

        assertThat(e.getMessage()).contains("no body");
    }

    @Test
    void aRedirectIsNotFollowed() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(302).withHeader("Location", "https://elsewhere.example/")));

        UnexpectedResponseException e = catchThrowableOfType(UnexpectedResponseException.class,
                () -> client().jobs().get(JOB_ID));

        assertThat(e.status()).isEqualTo(302);
        wm.verify(1, anyRequestedFor(anyUrl()));
    }
}
