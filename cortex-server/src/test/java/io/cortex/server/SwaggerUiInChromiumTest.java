package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Swagger UI in a real headless Chromium (Debian's {@code chromium}): the page renders the document
 * under the docs pages' Content-Security-Policy and the browser reports no violation, on load and
 * with an operation opened. Screenshots go to {@code target/swagger-ui*.png}. Without Chromium the
 * test is skipped with a loud message.
 */
class SwaggerUiInChromiumTest {
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");
    private static Path chromium;

    private final TestServer t = new TestServer();

    @TempDir
    Path profile;

    @BeforeAll
    static void findChromium() {
        String configured = System.getenv("CHROMIUM");
        for (String c : configured == null ? CANDIDATES : List.of(configured)) {
            if (Files.isExecutable(Path.of(c))) {
                chromium = Path.of(c);
                return;
            }
        }
        System.err.println("\n" + "=".repeat(100) + "\n!!! CHROMIUM NOT FOUND (" + CANDIDATES + " or $CHROMIUM): SKIPPING the "
                + "Swagger UI browser test\n!!! apt-get install chromium to run it\n" + "=".repeat(100));
        throw new TestAbortedException("Chromium not found: the Swagger UI browser test is skipped");
    }

    @AfterEach
    void close() {
        t.close();
    }

    /** Runs Chromium on {@code url} (bounded to 90 s) and returns what it printed: stdout, then its log. */
    private String[] run(String url, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=1",
                "--virtual-time-budget=15000", "--window-size=1280,2400"));
        cmd.addAll(List.of(args));
        cmd.add(url);
        Path out = profile.resolve("out.txt");
        Path err = profile.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 90 s on " + url);
        }
        return new String[] {Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)};
    }

    private static List<String> violations(String log) {
        return log.lines().filter(l -> l.contains("Content Security Policy") || l.contains("Refused to")).toList();
    }

    @Test
    void swaggerUiRendersTheDocumentWithoutAnyPolicyViolation() throws Exception {
        String[] page = run(t.server.uri() + "/api/docs", "--dump-dom");

        assertThat(violations(page[1])).as("CSP violations reported by Chromium").isEmpty();
        assertThat(page[0]).contains("Cortex REST API").contains("/api/plugin-core/jobs/{jobId}/resubmit")
                .contains("/api/system/logging/config");
    }

    @Test
    void anOpenedOperationWithItsExamplesNeedsNoMorePolicy() throws Exception {
        String[] page = run(t.server.uri() + "/api/docs/index.html#/host/updateLoggingConfig", "--dump-dom");

        assertThat(violations(page[1])).as("CSP violations reported by Chromium").isEmpty();
        assertThat(page[0]).contains("maxSize").contains("compressionEnabled");
    }

    @Test
    void screenshotsForPeople() throws Exception {
        Path target = Path.of("target");
        Files.createDirectories(target);
        run(t.server.uri() + "/api/docs", "--screenshot=" + target.toAbsolutePath().resolve("swagger-ui.png"));
        String[] op = run(t.server.uri() + "/api/docs/index.html#/jobs/submitJob",
                "--screenshot=" + target.toAbsolutePath().resolve("swagger-ui-submit-job.png"));

        assertThat(violations(op[1])).isEmpty();
        assertThat(Files.size(target.resolve("swagger-ui.png"))).isGreaterThan(50_000);
        assertThat(Files.size(target.resolve("swagger-ui-submit-job.png"))).isGreaterThan(50_000);
    }
}
