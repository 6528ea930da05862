package io.cortex.client;

import static io.cortex.client.Fixtures.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientBuilderTest {

    @Test
    void baseUrlIsRequired() {
        assertThatThrownBy(() -> CortexClient.builder().apiKey(API_KEY).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("baseUrl is required");
    }

    @Test
    void baseUrlMustBeAnHttpUrlWithoutUserInfoOrQuery() {
        assertThatThrownBy(() -> CortexClient.builder().baseUrl("ftp://example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an absolute http or https URL");
        assertThatThrownBy(() -> CortexClient.builder().baseUrl("https://user:pw@example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user info")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> CortexClient.builder().baseUrl("https://example.com/?a=b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
    }

    @Test
    void aTrailingSlashIsDropped() {
        try (CortexClient c = CortexClient.builder().baseUrl(URI.create("https://example.com/cortex/")).build()) {
            assertThat(c.baseUrl()).isEqualTo(URI.create("https://example.com/cortex"));
        }
    }

    @Test
    void settingAnOptionTwiceSaysWhatItWasAlreadySetToButNeverShowsTheKey() {
        assertThatThrownBy(() -> CortexClient.builder().baseUrl("https://a.example").baseUrl("https://b.example"))
                .isInstanceOf(IllegalStateException.class).hasMessage("baseUrl already set to https://a.example/");
        assertThatThrownBy(() -> CortexClient.builder().apiKey(API_KEY).apiKey("other"))
                .isInstanceOf(IllegalStateException.class).hasMessage("apiKey already set to ****");
        assertThatThrownBy(() -> CortexClient.builder().callTimeout(Duration.ofSeconds(3)).callTimeout(Duration.ofSeconds(4)))
                .isInstanceOf(IllegalStateException.class).hasMessage("callTimeout already set to PT3S");
    }

    @Test
    void theApiKeyIsInNoToString() {
        CortexClient.Builder builder = CortexClient.builder().baseUrl("https://cortex.example").apiKey(API_KEY);
        try (CortexClient client = builder.build()) {
            assertThat(builder.toString()).doesNotContain(API_KEY).contains("apiKey=****");
            assertThat(client.toString()).doesNotContain(API_KEY).contains("apiKey=****", "https://cortex.example");
        }
    }

    @Test
    void aKeyThatCouldSplitAHeaderIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> CortexClient.builder().apiKey("abc\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("abc");
    }

    @Test
    void withCallTimeoutDerivesAClientWithAnotherTimeout() {
        try (CortexClient c = CortexClient.builder().baseUrl("https://cortex.example").build()) {
            CortexClient quick = c.withCallTimeout(Duration.ofSeconds(2));

            assertThat(c.callTimeout()).isEqualTo(CortexClient.DEFAULT_CALL_TIMEOUT);
            assertThat(quick.callTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(quick.retryConfig()).isSameAs(c.retryConfig());
        }
    }
}
