package io.cortex.client.nomicrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency of core, webhooks, client and server: an application without it
 * must load and run every Cortex class it uses. The test class path (which has Micrometer, for the other
 * tests) minus every micrometer and prometheus jar becomes a class loader that does not delegate to the
 * application's; {@link Scenario} runs there end to end.
 */
class NoMicrometerTest {
    private static boolean isMicrometer(String entry) {
        String e = entry.replace(File.separatorChar, '/');
        return e.contains("/io/micrometer/") || e.contains("/io/prometheus/") || e.contains("/org/hdrhistogram/")
                || e.contains("/org/latencyutils/");
    }

    private static URLClassLoader withoutMicrometer() {
        String path = System.getProperty("java.class.path");
        List<String> entries = Arrays.asList(path.split(File.pathSeparator));
        assertThat(entries).as("the test class path itself has Micrometer, or this test proves nothing")
                .anyMatch(e -> e.replace(File.separatorChar, '/').contains("/io/micrometer/micrometer-core/"))
                .anyMatch(e -> e.replace(File.separatorChar, '/').contains("/io/micrometer/micrometer-registry-prometheus/"));
        List<URL> urls = new ArrayList<>();
        for (String e : entries) {
            if (!e.isEmpty() && !isMicrometer(e)) {
                try {
                    urls.add(new File(e).toURI().toURL());
                } catch (MalformedURLException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return new URLClassLoader("no-micrometer", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    @Test
    void anApplicationWithoutMicrometerRunsEngineDispatcherServerAndClientEndToEnd() throws Exception {
        try (URLClassLoader loader = withoutMicrometer()) {
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.prometheusmetrics.PrometheusMeterRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);

            Thread t = Thread.currentThread();
            ClassLoader before = t.getContextClassLoader();
            t.setContextClassLoader(loader);
            Map<String, Object> seen;
            try {
                @SuppressWarnings("unchecked")
                Supplier<Map<String, Object>> scenario = (Supplier<Map<String, Object>>) loader
                        .loadClass(Scenario.class.getName()).getDeclaredConstructor().newInstance();
                seen = scenario.get();
            } finally {
                t.setContextClassLoader(before);
            }

            assertThat(seen.get("loader")).as("Cortex was loaded without Micrometer, not by the test's loader")
                    .isEqualTo("no-micrometer");
            assertThat((Integer) seen.get("methods")).isPositive();
            assertThat((String) seen.get("meterRegistryRefused"))
                    .startsWith("meterRegistry must be a io.micrometer.core.instrument.MeterRegistry");
            assertThat(seen.get("job")).isEqualTo("SUCCEEDED");
            assertThat((Integer) seen.get("webhooksReceived")).isGreaterThanOrEqualTo(3);
            assertThat(seen.get("engineMeterRegistry")).isEqualTo(false);
            assertThat(seen.get("scrapeStatus")).isEqualTo(404);
            assertThat(seen.get("scrapeType")).isEqualTo("application/problem+json");
            assertThat((String) seen.get("scrapeBody"))
                    .contains("io.micrometer:micrometer-registry-prometheus is not on the class path")
                    .contains("Cortex.builder().meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))");
        }
    }
}
