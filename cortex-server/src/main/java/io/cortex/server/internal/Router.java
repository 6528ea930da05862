package io.cortex.server.internal;

import io.cortex.server.Scope;
import io.javalin.http.HandlerType;

/** Registers an endpoint behind authentication, rate limiting and a scope check. */
@FunctionalInterface
public interface Router {
    /**
     * Registers {@code action} for {@code method path}.
     *
     * @param method the HTTP method
     * @param path the path, with {@code {name}} parameters
     * @param scope the scope required, or null for an endpoint without authentication
     * @param action what the endpoint does
     */
    void route(HandlerType method, String path, Scope scope, Action action);
}
