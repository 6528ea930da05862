package io.cortex.server.internal;

import io.cortex.core.json.CortexJson;
import io.cortex.server.ApiKey;
import io.cortex.server.Scope;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;
import io.javalin.router.EndpointMetadata;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Builds the Javalin application that serves docs/rest-api.md: a request id on every request (the
 * {@code X-Request-Id} header, the SLF4J MDC key {@value #MDC_KEY} and every problem), bearer
 * authentication, the per-key token bucket with its {@code RateLimit-*} headers, scope checks, and
 * problems as {@code application/problem+json}.
 */
public final class HttpApi {
    /** The MDC key holding the request id while a request is handled. */
    public static final String MDC_KEY = "requestId";
    /** The request id header, read (when well-formed) and always written. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String ATTR_REQUEST_ID = "cortex.requestId";
    private static final String ATTR_STARTED = "cortex.started";
    private static final String ATTR_PROBLEM = "cortex.problem";
    private static final Pattern GOOD_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Settings settings;
    private final RateLimiter limiter;

    private HttpApi(Settings settings) {
        this.settings = settings;
        this.limiter = settings.rateLimit().isUnlimited() ? null
                : new RateLimiter(settings.rateLimit(), settings.clock(), settings.apiKeys());
    }

    /**
     * The Javalin application for {@code settings}, not started.
     *
     * @param settings the configuration
     * @return the application
     */
    public static Javalin create(Settings settings) {
        HttpApi api = new HttpApi(settings);
        return Javalin.create(api::configure);
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = settings.maxBodyBytes();
        config.router.ignoreTrailingSlashes = true;
        config.routes.before(this::before);
        config.routes.after(this::after);
        config.routes.exception(Exception.class, (e, ctx) -> writeProblem(ctx, ProblemMapper.from(e)));
        config.routes.error(404, ctx -> {
            if (ctx.attribute(ATTR_PROBLEM) == null) {
                writeProblem(ctx, Problem.of(404, Problem.Type.NOT_FOUND, "no endpoint " + ctx.method().name().toUpperCase(Locale.ROOT)
                        + " " + ctx.path() + "; docs/rest-api.md lists the paths served"));
            }
        });
        Router router = (method, path, scope, action) -> config.routes.addEndpoint(
                new Endpoint(method, path, wrap(scope, action), Set.of(new RouteScope(scope))));
        new JobRoutes(settings).register(router);
        new ProviderRoutes(settings).register(router);
        new WebhookRoutes(settings).register(router);
        new SystemRoutes(settings).register(router);
        new PrometheusRoute(settings).register(router);
        settings.events().register(router);
        if (settings.console()) {
            new ConsoleRoutes().register(router);
        }
        new OperationsRoutes(settings).register(router);
        new DocsRoutes().register(router);
    }

    /**
     * The scope an endpoint registered through {@link Router} requires, kept on its Javalin endpoint.
     *
     * @param scope the scope, or null for an endpoint without authentication
     */
    public record RouteScope(Scope scope) implements EndpointMetadata {}

    /**
     * One entry of the route table a Javalin application holds.
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param path the path with {@code {name}} parameters
     * @param registeredThroughRouter whether it was registered through {@link Router} (then
     *     {@code scope} is what it requires)
     * @param scope the scope required, or null for none (or when not registered through the router)
     */
    public record Route(String method, String path, boolean registeredThroughRouter, Scope scope) {}

    /**
     * Every HTTP endpoint {@code app} holds (before, after and error handlers left out), in the order
     * registered: the table the OpenAPI document is checked against.
     *
     * @param app the application
     * @return the routes
     */
    public static List<Route> routes(Javalin app) {
        return app.unsafe.internalRouter.allHttpHandlers().stream().map(e -> e.endpoint)
                .filter(e -> e.method.isHttpMethod())
                .map(e -> {
                    RouteScope s = e.metadata(RouteScope.class);
                    return new Route(e.method.name().toUpperCase(Locale.ROOT), e.path, s != null, s == null ? null : s.scope());
                }).toList();
    }

    private void before(Context ctx) {
        String incoming = ctx.header(REQUEST_ID_HEADER);
        String id = incoming != null && GOOD_REQUEST_ID.matcher(incoming).matches() ? incoming : newRequestId();
        ctx.attribute(ATTR_REQUEST_ID, id);
        ctx.attribute(ATTR_STARTED, System.nanoTime());
        ctx.header(REQUEST_ID_HEADER, id);
        MDC.put(MDC_KEY, id);
        long declared = ctx.req().getContentLengthLong();
        if (declared > settings.maxBodyBytes()) {
            // refused before any handler runs, whether or not the endpoint reads a body
            String m = "the body must be at most " + settings.maxBodyBytes() + " bytes (" + declared + " bytes declared)";
            throw Problem.of(413, Problem.Type.PAYLOAD_TOO_LARGE, m)
                    .withErrors(List.of(new Problem.FieldError("body", "max-bytes", m))).with("maxBytes", settings.maxBodyBytes());
        }
    }

    private void after(Context ctx) {
        try {
            if (LOG.isDebugEnabled()) {
                Long started = ctx.attribute(ATTR_STARTED);
                long micros = started == null ? -1 : (System.nanoTime() - started) / 1000;
                LOG.debug("request {} {} {} -> {} in {} µs", requestId(ctx), ctx.method().name(), ctx.path(),
                        ctx.status().getCode(), micros);
            }
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    private Handler wrap(Scope scope, Action action) {
        return ctx -> {
            ApiKey key = null;
            RateLimiter.Decision rate = null;
            if (scope != null) {
                key = authenticate(ctx);
                if (limiter != null) {
                    rate = limiter.acquire(key.id());
                    ctx.header("RateLimit-Limit", Long.toString(rate.limit()));
                    ctx.header("RateLimit-Remaining", Long.toString(rate.remaining()));
                    ctx.header("RateLimit-Reset", Long.toString(rate.resetSeconds()));
                    if (!rate.allowed()) {
                        throw Problem.of(429, Problem.Type.RATE_LIMITED, "key " + key.id() + " has used up its "
                                        + rate.limit() + " requests per " + rate.windowSeconds() + " s; retry after "
                                        + rate.retryAfterSeconds() + " s")
                                .with("retryAfterSeconds", rate.retryAfterSeconds())
                                .header("Retry-After", Long.toString(rate.retryAfterSeconds()));
                    }
                }
                if (!key.allows(scope)) {
                    throw Problem.of(403, Problem.Type.FORBIDDEN, "this endpoint needs scope '" + scope.wireName() + "'; key "
                                    + key.id() + " holds " + key.scopes().stream().map(Scope::wireName).toList())
                            .with("requiredScope", scope.wireName());
                }
            }
            action.handle(new Call(ctx, key, rate, settings.maxBodyBytes()));
        };
    }

    private ApiKey authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw Problem.of(401, Problem.Type.UNAUTHORIZED, "no API key: send the header 'Authorization: Bearer <api key>'")
                    .header("WWW-Authenticate", "Bearer realm=\"cortex\"");
        }
        String h = header.trim();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Problem.of(401, Problem.Type.UNAUTHORIZED, "the Authorization header must use the Bearer scheme: 'Bearer <api key>'")
                    .header("WWW-Authenticate", "Bearer realm=\"cortex\", error=\"invalid_request\"");
        }
        Optional<ApiKey> key = settings.apiKeys().authenticate(h.substring(7).trim());
        if (key.isEmpty()) {
            throw Problem.of(401, Problem.Type.UNAUTHORIZED, "the API key is not valid: unknown, revoked or mistyped")
                    .header("WWW-Authenticate", "Bearer realm=\"cortex\", error=\"invalid_token\"");
        }
        return key.get();
    }

    private void writeProblem(Context ctx, Problem p) {
        String requestId = requestId(ctx);
        ctx.attribute(ATTR_PROBLEM, p);
        p.headers().forEach(ctx::header);
        byte[] bytes;
        try {
            bytes = CortexJson.mapper().writeValueAsBytes(p.body(ctx.path(), requestId));
        } catch (Exception e) {
            bytes = ("{\"type\":\"" + Problem.Type.INTERNAL.uri() + "\",\"status\":500,\"requestId\":\"" + requestId + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        ctx.status(p.status()).contentType("application/problem+json").result(bytes);
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        if (p.type() == Problem.Type.INTERNAL) {
            LOG.error("request {} {} {} failed with {} {}: {}", requestId, method, ctx.path(), p.status(), p.type().slug(),
                    p.detail(), p.getCause());
        } else if (p.type() == Problem.Type.UNAVAILABLE) {
            LOG.warn("request {} {} {} answered {} {}: {}", requestId, method, ctx.path(), p.status(), p.type().slug(),
                    p.detail(), p.getCause());
        } else {
            LOG.info("request {} {} {} answered {} {}: {}", requestId, method, ctx.path(), p.status(), p.type().slug(),
                    p.detail());
        }
    }

    private static String requestId(Context ctx) {
        String id = ctx.attribute(ATTR_REQUEST_ID);
        return id != null ? id : "req_unknown";
    }

    private static String newRequestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[20];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return "req_" + new String(c);
    }
}
