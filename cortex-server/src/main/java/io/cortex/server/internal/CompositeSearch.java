package io.cortex.server.internal;

import io.cortex.core.util.MeterRegistries;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/** Looks inside a Micrometer composite registry; loaded only when one was given (so Micrometer is present). */
final class CompositeSearch {
    private CompositeSearch() {}

    /** The first registry of class {@code className} inside {@code composite}, depth first, or null. */
    static Object find(Object composite, String className) {
        for (MeterRegistry child : ((CompositeMeterRegistry) composite).getRegistries()) {
            if (MeterRegistries.isInstance(child, className)) {
                return child;
            }
            if (child instanceof CompositeMeterRegistry inner) {
                Object found = find(inner, className);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
