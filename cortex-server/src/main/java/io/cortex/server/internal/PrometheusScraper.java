package io.cortex.server.internal;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Scrapes a Prometheus registry; loaded only once one was found (so its module is present). */
final class PrometheusScraper {
    private PrometheusScraper() {}

    /** The registry's meters in {@code contentType} (Prometheus text or OpenMetrics). */
    static byte[] scrape(Object registry, String contentType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            ((PrometheusMeterRegistry) registry).scrape(out, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("scraping the Prometheus registry failed", e);
        }
        return out.toByteArray();
    }
}
