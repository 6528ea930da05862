package io.cortex.server.internal;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * The operator console: static pages at {@value #BASE} ({@code GET /} and {@code GET /console}
 * redirect there), served from the class path by {@link ConsoleAssets} without authentication — the
 * pages hold no data; they sign in with an API key and call the REST API like any client.
 *
 * <p>Every console response carries a strict Content Security Policy ({@value #CSP}: no inline
 * script or style, nothing from another origin), {@code X-Content-Type-Options: nosniff} and
 * {@code Referrer-Policy: no-referrer}. Files are revalidated on every use ({@code Cache-Control:
 * no-cache}) against a strong ETag, so a browser re-downloads a file only after it changed.
 */
final class ConsoleRoutes {
    /** Where the console lives. */
    static final String BASE = "/console/";
    /** The Content-Security-Policy of every console response. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private final ConsoleAssets assets = new ConsoleAssets();

    void register(Router r) {
        r.route(GET, "/", null, c -> redirect(c.ctx()));
        // the server ignores trailing slashes: this route answers both /console and /console/
        r.route(GET, "/console", null, c -> {
            if (c.ctx().path().endsWith("/")) {
                serve(c.ctx(), "index.html");
            } else {
                redirect(c.ctx()); // the page's relative links need the slash
            }
        });
        r.route(GET, BASE + "<path>", null, c -> serve(c.ctx(), c.path("path")));
    }

    private static void redirect(Context ctx) {
        secure(ctx);
        ctx.header("Location", BASE).status(302);
    }

    private void serve(Context ctx, String path) {
        Optional<ConsoleAssets.Asset> found = assets.find(path);
        if (found.isEmpty()) {
            throw Problem.of(404, Problem.Type.NOT_FOUND, "the console has no file '" + path + "'; open " + BASE);
        }
        ConsoleAssets.Asset asset = found.get();
        secure(ctx);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, asset.etag())) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(asset.contentType()).result(asset.bytes());
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /** RFC 9110 weak comparison of an {@code If-None-Match} list with the file's tag. */
    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String t = candidate.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
