package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The browser tests skip loudly where there is no Chromium, and fail where CI requires one. */
class ChromiumSupportTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream banner = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void aMissingBrowserSkipsTheBrowserTests() {
        assertThatThrownBy(() -> Chromium.unavailable("no Chromium at /nowhere/chromium", false, banner))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("skipped").hasMessageContaining("/nowhere/chromium");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("CHROMIUM UNUSABLE: SKIPPING THE BROWSER TESTS")
                .contains("apt-get install chromium chromium-driver");
    }

    @Test
    void aMissingBrowserFailsThemWhenRequired() {
        assertThatThrownBy(() -> Chromium.unavailable("no chromedriver at /nowhere/chromedriver", true, banner))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("required")
                .hasMessageContaining("/nowhere/chromedriver");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("CHROMIUM IS REQUIRED (CORTEX_REQUIRE_BROWSER=true) BUT UNUSABLE: FAILING");
    }
}
