package io.cortex.server.internal;

import static io.javalin.http.HandlerType.GET;

import io.cortex.core.util.MeterRegistries;
import io.cortex.server.Scope;

/**
 * {@code GET /api/system/metrics/prometheus}: the Prometheus text format of the registry the engine
 * records into (a {@code PrometheusMeterRegistry}, or a {@code CompositeMeterRegistry} holding one), or
 * of the one given to {@code CortexServer.builder().prometheusRegistry(…)}; otherwise a 404 problem that
 * says how to enable it. The server never creates a registry of its own: the engine's meters are
 * recorded where the application put them, once.
 *
 * <p>Micrometer and its Prometheus registry are optional: this class names none of their types, and
 * recognises the registry by class name; {@link CompositeSearch} and {@link PrometheusScraper}, which
 * do, are loaded only once such a registry exists.
 */
final class PrometheusRoute {
    /** The path served. */
    static final String PATH = "/api/system/metrics/prometheus";
    /** The registry class of io.micrometer:micrometer-registry-prometheus (1.13 and later). */
    static final String PROMETHEUS_REGISTRY = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";
    static final String COMPOSITE_REGISTRY = "io.micrometer.core.instrument.composite.CompositeMeterRegistry";
    /** The Prometheus text format, version 0.0.4: what Prometheus asks for unless told otherwise. */
    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics text, for a scraper whose {@code Accept} asks for it. */
    static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private static final String ENABLE = "Cortex.builder().meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)) "
            + "(the server serves the engine's registry), or pass one to CortexServer.builder().prometheusRegistry(registry)";

    private final Settings settings;

    PrometheusRoute(Settings settings) {
        this.settings = settings;
    }

    void register(Router r) {
        r.route(GET, PATH, Scope.READ, this::scrape);
    }

    private void scrape(Call c) {
        Object registry = registry();
        String contentType = contentType(c.header("Accept"));
        byte[] body = PrometheusScraper.scrape(registry, contentType);
        c.ctx().status(200).contentType(contentType).result(body);
    }

    /** The registry to scrape, or a 404 problem saying why there is none and how to enable it. */
    private Object registry() {
        if (settings.prometheusRegistry() != null) {
            return settings.prometheusRegistry();
        }
        Object engines = settings.cortex().meterRegistry().orElse(null);
        Object found = find(engines);
        if (found != null) {
            return found;
        }
        String why;
        if (!prometheusOnClassPath()) {
            why = "io.micrometer:micrometer-registry-prometheus is not on the class path; add it to the application, then "
                    + "record the engine's meters into a Prometheus registry: " + ENABLE;
        } else if (engines == null) {
            why = "the engine records its meters into no registry; build it with " + ENABLE;
        } else {
            why = "the engine records its meters into a " + engines.getClass().getSimpleName() + ", which Prometheus cannot "
                    + "scrape; give it a PrometheusMeterRegistry (or a CompositeMeterRegistry holding one): " + ENABLE;
        }
        throw Problem.of(404, Problem.Type.NOT_FOUND, "Prometheus metrics are not enabled: " + why)
                .with("feature", "prometheus");
    }

    /** {@code registry} when it is a Prometheus registry, the first one inside it when a composite, else null. */
    static Object find(Object registry) {
        if (MeterRegistries.isInstance(registry, PROMETHEUS_REGISTRY)) {
            return registry;
        }
        if (MeterRegistries.isInstance(registry, COMPOSITE_REGISTRY)) {
            return CompositeSearch.find(registry, PROMETHEUS_REGISTRY);
        }
        return null;
    }

    private static boolean prometheusOnClassPath() {
        try {
            Class.forName(PROMETHEUS_REGISTRY, false, PrometheusRoute.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** OpenMetrics when the {@code Accept} header asks for it, else the Prometheus text format. */
    static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_FORMAT : TEXT_FORMAT;
    }
}
