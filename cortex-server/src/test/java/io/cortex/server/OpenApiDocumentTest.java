package io.cortex.server;

import static io.cortex.server.TestServer.JOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.json.CortexJson;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.server.TestServer.Reply;
import io.cortex.server.internal.HttpApi;
import io.cortex.store.jdbc.JdbcJobStore;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document against the server: it is valid OpenAPI 3.1; every route the server registers
 * under {@code /api/} is in it and everything in it is registered, with the same scope; and real
 * answers of the main resources (and of every problem) match the schemas it gives them.
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private final TestServer t = new TestServer();
    private final JsonNode document = t.get("/api/openapi.json", null).json();
    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, JsonSchema> compiled = new LinkedHashMap<>();
    private final List<String> checked = new ArrayList<>();

    @AfterEach
    void close() {
        t.close();
    }

    // ---------------------------------------------------------------------------------------------
    // the document itself
    // ---------------------------------------------------------------------------------------------

    @Test
    void theDocumentIsServedWithoutAKeyAndIsValidOpenApi31() {
        Reply r = t.get("/api/openapi.json", null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIParser().readContents(r.body(), null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's findings").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes().get("bearerAuth").getScheme()).isEqualTo("bearer");
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/api/plugin-core/jobs", "/api/system/logging/config");
    }

    @Test
    void everyOperationNamesItsScopeConsistently() {
        operations().forEach((key, op) -> {
            String scope = op.path("x-cortex-scope").asText(null);
            assertThat(scope).as("x-cortex-scope of %s", key).isIn("none", "read", "write", "admin");
            JsonNode security = op.has("security") ? op.get("security") : document.get("security");
            if (scope.equals("none")) {
                assertThat(security).as("security of %s", key).isEmpty();
            } else {
                assertThat(security.toString()).as("security of %s", key).isEqualTo("[{\"bearerAuth\":[\"" + scope + "\"]}]");
                assertThat(op.get("responses").has("401")).as("%s documents its 401", key).isTrue();
            }
            assertThat(op.path("operationId").asText()).as("operationId of %s", key).isNotBlank();
        });
    }

    // ---------------------------------------------------------------------------------------------
    // routes against the document
    // ---------------------------------------------------------------------------------------------

    @Test
    void theDocumentAndTheServersRouteTableAgreeBothWays() {
        Map<String, HttpApi.Route> registered = new LinkedHashMap<>();
        for (HttpApi.Route r : t.server.routes()) {
            if (r.path().startsWith("/api/")) {
                registered.put(r.method() + " " + r.path(), r);
            }
        }
        Set<String> documented = new TreeSet<>(operations().keySet());

        assertThat(new TreeSet<>(registered.keySet())).as("routes the server registers that the document lacks")
                .isSubsetOf(documented);
        assertThat(documented).as("operations in the document that the server does not register")
                .isSubsetOf(registered.keySet());
        registered.forEach((key, route) -> {
            if (route.registeredThroughRouter()) {
                String scope = route.scope() == null ? "none" : route.scope().name().toLowerCase(Locale.ROOT);
                assertThat(operations().get(key).path("x-cortex-scope").asText()).as("scope of %s", key).isEqualTo(scope);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // real answers against the schemas
    // ---------------------------------------------------------------------------------------------

    @Test
    void jobAnswersMatchTheirSchemas() {
        String body = "{\"image\":\"acme/train:1\",\"command\":[\"python\",\"train.py\"],\"env\":{\"TOKEN\":\"s3cret\"},"
                + "\"labels\":{\"team\":\"ml\"},\"maxPrice\":\"5.00\",\"maxRunTime\":\"PT2H\",\"maxAttempts\":2,"
                + "\"resources\":{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"10Gi\"}}";
        String done = matches(t.post(JOBS, t.writer, body), "POST", JOBS).json().get("id").asText();
        String broken = t.submit("{\"image\":\"acme/broken\"}");
        t.advance(Duration.ofSeconds(31));
        t.advance(Duration.ofSeconds(61));
        String waiting = t.submit("{\"image\":\"acme/x:1\",\"constraints\":{\"allow\":[\"gamma\"]}}");
        String running = t.submit("{\"image\":\"acme/y:1\"}");
        matches(t.post(JOBS, t.writer, "{\"image\":\"acme/z:1\"}", "Idempotency-Key", "k1"), "POST", JOBS);
        matches(t.post(JOBS, t.writer, "{\"image\":\"acme/z:1\"}", "Idempotency-Key", "k1"), "POST", JOBS);

        for (String id : List.of(done, broken, waiting, running)) {
            get(JOBS + "/" + id, t.reader);
            get(JOBS + "/" + id + "/events", t.reader);
            get(JOBS + "/" + id + "/logs", t.reader);
            get(JOBS + "/" + id + "/diagnosis", t.reader);
        }
        get(JOBS + "?limit=2", t.reader);
        get(JOBS + "?state=failed,succeeded&label=team:ml", t.reader);
        send("PUT", JOBS + "/" + waiting, t.writer, "{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"10Gi\"}");
        send("POST", JOBS + "/" + broken + "/resubmit", t.writer, "{\"provider\":\"beta\"}");
        send("POST", JOBS + "/" + running + "/cancel", t.writer, null);
        // problems
        send("PUT", JOBS + "/" + done, t.writer, "{\"cpu\":1000,\"memory\":\"1Gi\",\"storage\":\"10Gi\"}"); // 409: not pending
        send("PUT", JOBS + "/" + waiting, t.writer, "{\"cpu\":1000,\"memory\":\"12Zi\",\"storage\":\"10Gi\"}"); // 400
        send("POST", JOBS, t.writer, "{\"image\":\"acme/z:1\",\"colour\":\"red\"}"); // 400 unknown field
        send("POST", JOBS, t.reader, "{\"image\":\"acme/z:1\"}"); // 403
        send("POST", JOBS, t.writer, "{\"image\":\"acme/z:2\"}", "Idempotency-Key", "k1"); // 422
        get(JOBS + "/job_nosuchjob", t.reader); // 404
        get(JOBS + "?limit=0", t.reader); // 400
        get(JOBS, null); // 401

        assertThat(checked).hasSizeGreaterThan(25).anyMatch(c -> c.startsWith("409 ")).anyMatch(c -> c.startsWith("422 "));
    }

    @Test
    void providerAnswersMatchTheirSchemas() {
        get("/api/plugin-core/providers", t.reader);
        for (String p : List.of("alpha", "beta", "gamma")) {
            get("/api/plugin-core/providers/" + p, t.reader);
            get("/api/plugin-core/providers/" + p + "/status", t.reader);
            get("/api/plugin-core/providers/" + p + "/status?refresh=true", t.reader);
            get("/api/plugin-core/providers/" + p + "/capabilities", t.reader);
            get("/api/plugin-core/providers/" + p + "/wallet", t.reader);
        }
        send("POST", "/api/plugin-core/providers/alpha/wallet/topup", t.admin, "{\"amount\": \"10.0\"}");
        send("POST", "/api/plugin-core/providers/alpha/wallet/topup", t.admin, "{\"amount\": -1}");
        send("POST", "/api/plugin-core/providers/alpha/refresh-auth", t.admin, null);
        send("PUT", "/api/plugin-core/providers/alpha/credentials", t.admin, "{\"apiKey\": \"new-api-key\", \"secret\": \"new-secret\"}");
        send("PUT", "/api/plugin-core/providers/alpha", t.admin, "{\"endpoints\": [\"https://updated-endpoint.example.com\"]}");
        send("PUT", "/api/plugin-core/providers/gamma", t.admin, "{\"endpoints\": [\"https://updated-endpoint.example.com\"]}");
        get("/api/plugin-core/providers/nope", t.reader);

        assertThat(checked).anyMatch(c -> c.startsWith("501 ")).anyMatch(c -> c.startsWith("404 "));
    }

    @Test
    void webhookAnswersMatchTheirSchemasDeliveriesIncluded() {
        String target = t.server.uri() + "/api/health"; // POST there is a 404: a failed attempt is recorded
        Reply created = send("POST", "/api/plugin-core/webhooks", t.admin, "{\"url\": \"" + target + "\", \"events\": "
                + "[\"job.status.changed\", \"provider.status.changed\"], \"timeout\": 5, \"description\": \"probe\"}");
        String id = created.json().get("id").asText();
        get("/api/plugin-core/webhooks", t.reader);
        get("/api/plugin-core/webhooks/" + id, t.reader);
        send("PUT", "/api/plugin-core/webhooks/" + id, t.admin, "{\"url\": \"" + target + "\", \"timeout\": 10}");
        send("PUT", "/api/plugin-core/webhooks/" + id, t.admin, "{\"timeout\": 999}");
        t.submit("{\"image\":\"acme/train:1\"}");
        t.dispatcher.runDue();
        await().atMost(Duration.ofSeconds(10)).until(() -> t.get("/api/plugin-core/webhooks/" + id + "/history", t.reader).json()
                .path(0).path("attempts").size() > 0);
        Reply history = get("/api/plugin-core/webhooks/" + id + "/history", t.reader);
        send("DELETE", "/api/plugin-core/webhooks/" + id, t.admin, null);
        get("/api/plugin-core/webhooks/" + id, t.reader);

        assertThat(history.json().at("/0/attempts/0/statusCode").asInt()).isEqualTo(404);
        assertThat(checked).anyMatch(c -> c.startsWith("204 "));
    }

    @Test
    void systemAnswersMatchTheirSchemas() {
        t.submit("{\"image\":\"acme/train:1\"}");
        get("/api/health", null);
        get("/api/system/rate-limits", t.reader);
        get("/api/system/logs?limit=5", t.admin);
        get("/api/system/logs?service=upgrade", t.admin);
        get("/api/system/logs?level=LOUD", t.admin);
        get("/api/system/services/metrics", t.reader);
        send("POST", "/api/system/services/metrics/restart", t.admin, null);
        get("/api/system/services/nope", t.reader);
        get("/api/system/metrics/resources", t.reader);
        get("/api/users/me/permissions", t.reader);
        get("/api/system/processes", t.reader);
        get("/api/system/logging/config", t.admin);
        send("PUT", "/api/system/logging/config", t.admin, "{\"maxSize\": \"100MB\", \"maxFiles\": 10, \"compressionEnabled\": true}");
        send("PUT", "/api/system/logging/config", t.admin, "{\"maxSize\": \"100XB\"}");
        get("/api/system/logging/config", t.reader);
        get("/api/system/requirements", t.reader);
        get("/api/system/storage", t.reader);
        get("/api/system/database/status", t.admin);
        get("/api/system/database/migrations", t.admin);
        get("/api/system/containers", t.reader);
        send("POST", "/api/system/rollback", t.admin, "{\"version\": \"previous-stable-version\"}");
        get("/api/openapi.json", null);

        assertThat(checked).anyMatch(c -> c.startsWith("403 ")).anyMatch(c -> c.startsWith("501 "));
    }

    @Test
    void aRateLimitedAnswerMatchesItsSchema() {
        try (TestServer limited = new TestServer(b -> b.rateLimit(RateLimit.of(1, Duration.ofMinutes(1))))) {
            limited.get(JOBS, limited.reader);
            Reply r = limited.get(JOBS, limited.reader);

            assertThat(r.status()).isEqualTo(429);
            matches(r, "GET", JOBS);
        }
    }

    @Test
    void databaseAnswersFromADurableStoreMatchTheirSchemas(@TempDir Path dir) {
        for (Consumer<Cortex.Builder> store : List.<Consumer<Cortex.Builder>>of(b -> b.store(new FakeDatabaseStore()),
                b -> b.store(JdbcJobStore.builder().h2File(dir.resolve("jobs")).build()))) {
            ManualClock clock = new ManualClock();
            Cortex.Builder b = Cortex.builder().clock(clock).manual().provider(InMemoryProvider.builder("solo").clock(clock).build());
            store.accept(b);
            ApiKeys keys = new ApiKeys(clock);
            GeneratedApiKey admin = keys.generate("admin", Scope.ADMIN);
            try (Cortex cortex = b.build(); CortexServer server = CortexServer.builder().cortex(cortex).apiKeys(keys).start()) {
                cortex.submit(io.cortex.core.job.JobSpec.builder().image("acme/etl:1").build());
                for (String path : List.of("/api/system/database/status", "/api/system/database/connections",
                        "/api/system/database/slow-queries", "/api/system/database/migrations", "/api/system/storage",
                        "/api/system/requirements", "/api/system/logs?service=upgrade", "/api/health")) {
                    matches(t.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).header("Authorization", "Bearer "
                            + admin.token()).build()), "GET", path);
                }
                matches(t.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/system/database/config"))
                        .header("Authorization", "Bearer " + admin.token()).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"poolSize\": 20, \"idleTimeout\": 30000, \"connectionTimeout\": 5000}"))
                        .build()), "PUT", "/api/system/database/config");
                matches(t.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/system/database/optimize"))
                        .header("Authorization", "Bearer " + admin.token()).POST(HttpRequest.BodyPublishers.noBody()).build()),
                        "POST", "/api/system/database/optimize");
            }
        }
        assertThat(checked).filteredOn(c -> c.startsWith("200 ")).hasSizeGreaterThanOrEqualTo(20);
    }

    // ---------------------------------------------------------------------------------------------
    // Swagger UI
    // ---------------------------------------------------------------------------------------------

    @Test
    void swaggerUiIsServedFromTheWebjarWithAStrictPolicyAndNoInlineScript() {
        Reply docs = t.get("/api/docs", null);
        Reply page = t.get("/api/docs/index.html", null);
        Reply init = t.get("/api/docs/swagger-initializer.js", null);
        Reply bundle = t.get("/api/docs/swagger-ui-bundle.js", null);
        Reply css = t.get("/api/docs/swagger-ui.css", null);
        Reply missing = t.get("/api/docs/oauth2-redirect.html", null);

        assertThat(docs.status()).isEqualTo(302);
        assertThat(docs.header("Location")).isEqualTo("/api/docs/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'").contains("script-src 'self';")
                .contains("connect-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-eval")
                .doesNotContain("'unsafe-inline'");
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page.body()).find()).as("an inline script").isFalse();
        assertThat(page.body()).doesNotContain("style=").doesNotContain("https://").contains("./swagger-initializer.js");
        assertThat(init.contentType()).startsWith("text/javascript");
        assertThat(init.body()).contains("../openapi.json").contains("validatorUrl: null");
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(1_000_000);
        assertThat(bundle.header("Content-Security-Policy")).isNotNull();
        assertThat(css.contentType()).startsWith("text/css");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
    }

    // ---------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------

    /** Every operation of the document, as "METHOD /path". */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        document.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (METHODS.contains(m.getKey())) {
                out.put(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey(), m.getValue());
            }
        }));
        return out;
    }

    private Reply get(String path, GeneratedApiKey key) {
        return matches(t.get(path, key), "GET", path);
    }

    private Reply send(String method, String path, GeneratedApiKey key, String body, String... headers) {
        return matches(t.send(method, path, key, body, headers), method, path);
    }

    /** Checks the answer against the document: its status and content type are documented, its body matches the schema. */
    private Reply matches(Reply r, String method, String path) {
        String template = template(path.replaceFirst("\\?.*$", ""));
        JsonNode op = document.at("/paths/" + template.replace("~", "~0").replace("/", "~1") + "/" + method.toLowerCase(Locale.ROOT));
        assertThat(op.isMissingNode()).as("%s %s is documented", method, template).isFalse();
        JsonNode response = op.path("responses").path(Integer.toString(r.status()));
        assertThat(response.isMissingNode()).as("%s %s documents status %s (%s)", method, template, r.status(), r.body()).isFalse();
        response = resolve(response);
        String what = r.status() + " " + method + " " + template;
        checked.add(what);
        if (!response.has("content")) {
            assertThat(r.body()).as("%s has no body", what).isEmpty();
            return r;
        }
        String type = r.contentType().replaceFirst(";.*$", "").trim();
        JsonNode media = response.get("content").get(type);
        assertThat(media).as("%s documents content type %s", what, type).isNotNull();
        if (!type.endsWith("json")) {
            return r;
        }
        JsonNode schemaNode = media.get("schema");
        JsonSchema schema = compiled.computeIfAbsent(schemaNode.toString(), k -> schemas.getSchema(wrap(schemaNode)));
        Set<ValidationMessage> errors = schema.validate(r.json());
        assertThat(errors).as("%s: the answer %s does not match its schema", what, r.body()).isEmpty();
        return r;
    }

    /** The documented path a concrete path belongs to: a literal one first, else the template it fits. */
    private String template(String path) {
        Iterator<String> paths = document.get("paths").fieldNames();
        String match = null;
        while (paths.hasNext()) {
            String p = paths.next();
            if (p.equals(path)) {
                return p;
            }
            if (Pattern.matches(p.replaceAll("\\{[^}]+}", "[^/]+"), path)) {
                match = p;
            }
        }
        assertThat(match).as("a documented path for %s", path).isNotNull();
        return match;
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    /** The schema as a JSON Schema 2020-12 document whose {@code #/components/...} references resolve. */
    private ObjectNode wrap(JsonNode schema) {
        ObjectNode root = CortexJson.mapper().createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        ObjectNode components = root.putObject("components");
        components.set("schemas", document.get("components").get("schemas"));
        schema.fields().forEachRemaining(f -> root.set(f.getKey(), f.getValue()));
        return root;
    }
}
