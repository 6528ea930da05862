package io.cortex.server.internal;

import static io.javalin.http.HandlerType.GET;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cortex.core.json.CortexJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's own documentation, without authentication: the OpenAPI document (written in YAML, {@value
 * #DOCUMENT}, served as JSON at {@code /api/openapi.json}) and Swagger UI at {@code /api/docs}, its
 * assets from the {@code org.webjars:swagger-ui} jar, its page and initializer from this module — no
 * CDN, no inline script.
 *
 * <p>The pages carry a Content-Security-Policy as strict as Swagger UI allows: scripts, styles,
 * fonts and fetches from this server only, no {@code 'unsafe-eval'}, no inline script; images from it
 * and {@code data:} (Swagger UI's CSS draws its icons from data URIs). Swagger UI 5.34.1 applies one
 * inline style when it starts: {@code style-src} allows exactly that one by its hash ({@value
 * #SWAGGER_UI_INLINE_STYLE}) rather than {@code 'unsafe-inline'}. A Swagger UI upgrade that applies
 * another makes {@code SwaggerUiInChromiumTest} fail with the hash the browser wants. Nothing else:
 * no objects, frames, forms, base URI or embedding in another page.
 */
final class DocsRoutes {
    /** The OpenAPI document on the class path. */
    static final String DOCUMENT = "io/cortex/server/openapi.yaml";
    /** The hash of the one inline style Swagger UI applies when it starts. */
    static final String SWAGGER_UI_INLINE_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";
    /** The Content-Security-Policy of the documentation pages. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' " + SWAGGER_UI_INLINE_STYLE
            + "; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            + "form-action 'none'";

    private static final String OWN = "io/cortex/server/docs/";
    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "swagger-initializer.js", "text/javascript; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "swagger-ui.css", "text/css; charset=utf-8",
            "index.css", "text/css; charset=utf-8",
            "favicon-16x16.png", "image/png",
            "favicon-32x32.png", "image/png");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    void register(Router r) {
        r.route(GET, "/api/openapi.json", null, c -> {
            c.responseHeader("Cache-Control", "no-cache");
            c.ctx().status(200).contentType("application/json").result(OpenApi.JSON);
        });
        r.route(GET, "/api/docs", null, c -> {
            secure(c);
            c.ctx().redirect("/api/docs/index.html", io.javalin.http.HttpStatus.FOUND);
        });
        r.route(GET, "/api/docs/{asset}", null, this::asset);
    }

    private void asset(Call c) {
        String name = c.path("asset");
        String type = ASSETS.get(name);
        if (type == null) {
            throw Problem.notFound("asset", name, "no documentation asset '" + name + "'; Swagger UI is at /api/docs");
        }
        boolean own = name.equals("index.html") || name.equals("swagger-initializer.js");
        byte[] bytes = cache.computeIfAbsent(name, n -> read((own ? OWN : webjarFolder()) + n));
        secure(c);
        c.responseHeader("Cache-Control", own ? "no-cache" : "public, max-age=86400");
        c.ctx().status(200).contentType(type).result(bytes);
    }

    private static void secure(Call c) {
        c.responseHeader("Content-Security-Policy", CSP);
        c.responseHeader("X-Content-Type-Options", "nosniff");
        c.responseHeader("Referrer-Policy", "no-referrer");
        c.responseHeader("X-Frame-Options", "DENY");
    }

    /** Where the webjar keeps this version's files. */
    private static String webjarFolder() {
        Properties p = new Properties();
        try (InputStream in = DocsRoutes.class.getClassLoader().getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is not on the class path (" + WEBJAR_PROPERTIES + ")");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "META-INF/resources/webjars/swagger-ui/" + p.getProperty("version") + "/";
    }

    private static byte[] read(String resource) {
        try (InputStream in = DocsRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The document, read and converted once per class loader. */
    static final class OpenApi {
        /** The document as JSON bytes. */
        static final byte[] JSON;

        static {
            try {
                JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(read(DOCUMENT));
                JSON = CortexJson.mapper().writeValueAsBytes(doc);
            } catch (IOException e) {
                throw new UncheckedIOException("the OpenAPI document " + DOCUMENT + " is not valid YAML", e);
            }
        }

        private OpenApi() {}
    }
}
