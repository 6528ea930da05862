package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.job.ReasonCode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator console as HTTP sees it: where it lives, its security headers, its files and caching. */
class ConsoleTest {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private static final Pattern HTML_REFERENCE = Pattern.compile("(?:src|href)=\"([^\"#]+)\"");
    private static final Pattern JS_IMPORT = Pattern.compile("(?:from\\s+|import\\(\\s*)'([^']+)'");
    private static final Pattern JS_URL = Pattern.compile("new URL\\('([^']+)', import\\.meta\\.url\\)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript", "css", "text/css", "svg", "image/svg+xml",
            "html", "text/html", "json", "application/json");

    private static final TestServer SERVER = new TestServer();

    @AfterAll
    static void close() {
        SERVER.close();
    }

    @Test
    void theRootRedirectsToTheConsole() {
        TestServer.Reply r = SERVER.get("/", null);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("/console/");
        assertSecurityHeaders(r);

        TestServer.Reply noSlash = SERVER.get("/console", null);
        assertThat(noSlash.status()).as("the page's relative links need the slash").isEqualTo(302);
        assertThat(noSlash.header("Location")).isEqualTo("/console/");
    }

    @Test
    void theConsolePageNeedsNoKeyAndCarriesAStrictPolicy() {
        TestServer.Reply r = SERVER.get("/console/", null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        assertSecurityHeaders(r);
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.header("ETag")).matches("\"[0-9a-f]{24}\"");
        assertThat(r.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>").contains("id=\"signin-form\"");
        assertThat(SERVER.get(TestServer.JOBS, null).status()).as("the API behind it still wants a key").isEqualTo(401);
    }

    @Test
    void everyFileThePagesLoadComesFromTheServerWithItsTypeAndTheHeaders() throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>(List.of("index.html"));
        while (!queue.isEmpty()) {
            String path = queue.remove(0);
            if (!seen.add(path)) {
                continue;
            }
            TestServer.Reply r = SERVER.get("/console/" + path, null);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.contentType()).as(path).startsWith(TYPES.get(path.substring(path.lastIndexOf('.') + 1)));
            assertSecurityHeaders(r);
            assertThat(r.header("ETag")).as(path).isNotBlank();
            Pattern[] references = path.endsWith(".html") ? new Pattern[] {HTML_REFERENCE} : path.endsWith(".js")
                    ? new Pattern[] {JS_IMPORT, JS_URL} : new Pattern[0];
            for (Pattern p : references) {
                Matcher m = p.matcher(r.body());
                while (m.find()) {
                    String ref = m.group(1);
                    assertThat(ref).as("a reference in " + path + " stays on this server").doesNotContain("//").doesNotStartWith("/");
                    queue.add(resolve(path, ref));
                }
            }
        }
        assertThat(seen).as("pages, the chart library from its webjar, the reason table")
                .contains("js/app.js", "js/pages/jobs.js", "js/pages/job.js", "js/pages/providers.js", "js/pages/webhooks.js",
                        "js/pages/system.js", "js/pages/overview.js", "js/charts.js", "vendor/uplot/uPlot.esm.js",
                        "vendor/uplot/uPlot.min.css", "console.css", "reason-codes.json");
    }

    @Test
    void aFileIsSentAgainOnlyWhenItChanged() {
        TestServer.Reply first = SERVER.get("/console/js/app.js", null);
        String etag = first.header("ETag");

        TestServer.Reply again = SERVER.send(HttpRequest.newBuilder(SERVER.server.uri().resolve("/console/js/app.js"))
                .header("If-None-Match", etag).GET().build());
        TestServer.Reply other = SERVER.send(HttpRequest.newBuilder(SERVER.server.uri().resolve("/console/js/app.js"))
                .header("If-None-Match", "\"0123\"").GET().build());

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(first.body());
    }

    @Test
    void theChartLibraryComesFromItsWebjarWithoutAVersionInThePath() {
        TestServer.Reply js = SERVER.get("/console/vendor/uplot/uPlot.esm.js", null);
        TestServer.Reply css = SERVER.get("/console/vendor/uplot/uPlot.min.css", null);

        assertThat(js.status()).isEqualTo(200);
        assertThat(js.contentType()).startsWith("text/javascript");
        assertThat(js.body()).contains("function uPlot(").contains("export { uPlot as default }");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.body()).contains(".uplot");
    }

    @Test
    void reasonCodesAreDescribedAsTheEngineDescribesThem() {
        JsonNode table = SERVER.get("/console/reason-codes.json", null).json();

        for (ReasonCode code : ReasonCode.values()) {
            assertThat(table.path(code.name()).path("description").asText()).as(code.name()).isEqualTo(code.description());
            assertThat(table.path(code.name()).path("suggestedAction").asText()).isEqualTo(code.suggestedAction());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/nothing.js", "/console/js/missing.js", "/console/..%2Fpom.xml", "/console/js/..%2F..%2Fapp.js",
            "/console/.hidden.js", "/console/js/app.exe", "/console/vendor/jquery/jquery.js", "/console/vendor/uplot/../LICENSE",
            "/console/io/cortex/server/CortexServer.class", "/console/META-INF/MANIFEST.MF"})
    void onlyTheConsolesOwnFilesAreServed(String path) {
        TestServer.Reply r = SERVER.send(HttpRequest.newBuilder(URI.create(SERVER.server.uri() + path)).GET().build());

        assertThat(r.status()).as(path).isEqualTo(404);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void noPageHoldsAnInlineScriptOrStyleAndNoScriptWritesHtml() throws IOException, URISyntaxException {
        URL root = getClass().getClassLoader().getResource("io/cortex/server/console/");
        assertThat(root).isNotNull();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(root.toURI()))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        Pattern scriptBody = Pattern.compile("<script[^>]*>\\s*[^<\\s]", Pattern.CASE_INSENSITIVE);
        Pattern inlineHandler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
        Pattern styleAttribute = Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
        Pattern writesHtml = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|eval\\(|new Function\\(|setAttribute\\('style'");
        assertThat(files.stream().filter(f -> f.toString().endsWith(".html"))).isNotEmpty();
        for (Path f : files) {
            String text = Files.readString(f);
            if (f.toString().endsWith(".html")) {
                assertThat(inlineScript.matcher(text).find()).as(f + ": a <script> without src").isFalse();
                assertThat(scriptBody.matcher(text).find()).as(f + ": a <script> with a body").isFalse();
                assertThat(inlineHandler.matcher(text).find()).as(f + ": an on…= handler attribute").isFalse();
                assertThat(styleAttribute.matcher(text).find()).as(f + ": a style= attribute").isFalse();
                assertThat(text).as(f + ": a <style> element").doesNotContainIgnoringCase("<style");
            }
            if (f.toString().endsWith(".js")) {
                assertThat(writesHtml.matcher(text).find()).as(f + ": builds HTML from strings or code from text").isFalse();
            }
        }
    }

    @Test
    void aServerWithoutTheConsoleAnswers404There() {
        try (TestServer bare = new TestServer(b -> b.console(false))) {
            assertThat(bare.get("/", null).status()).isEqualTo(404);
            assertThat(bare.get("/console/", null).status()).isEqualTo(404);
            assertThat(bare.get("/console/js/app.js", null).status()).isEqualTo(404);
            assertThat(bare.get("/api/health", null).status()).isEqualTo(200);
        }
    }

    @Test
    void theConsoleOptionIsSetOnce() {
        CortexServer.Builder b = CortexServer.builder().console(false);
        assertThatThrownBy(() -> b.console(true)).isInstanceOf(IllegalStateException.class)
                .hasMessage("console was already set to false");
    }

    @Test
    void manyClientsAtOnceGetTheSameCompleteFile() throws Exception {
        // many clients revalidating at once, as after a deployment: every answer complete and identical
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(SERVER.http.sendAsync(HttpRequest.newBuilder(SERVER.server.uri().resolve("/console/js/pages/job.js"))
                    .timeout(Duration.ofSeconds(20)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> bodies = new LinkedHashSet<>();
        for (var f : all) {
            java.net.http.HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
            bodies.add(r.body());
        }
        assertThat(bodies).hasSize(1);
    }

    private static void assertSecurityHeaders(TestServer.Reply r) {
        assertThat(r.header("Content-Security-Policy")).isEqualTo(CSP);
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    }

    private static String resolve(String from, String ref) {
        URI base = URI.create("http://x/console/" + from);
        String path = base.resolve(ref).getPath();
        assertThat(path).as(ref + " from " + from).startsWith("/console/");
        return path.substring("/console/".length());
    }
}
