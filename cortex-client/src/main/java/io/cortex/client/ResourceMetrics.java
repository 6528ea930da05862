package io.cortex.client;

import io.cortex.core.job.JobState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's resource use and workload ({@code GET /api/system/metrics/resources}).
 *
 * @param timestamp when measured
 * @param heap JVM heap use
 * @param nonHeap JVM non-heap use
 * @param cpu CPU figures by name ({@code availableProcessors}, {@code systemLoadAverage},
 *     {@code processCpuLoad}…)
 * @param threads JVM threads
 * @param uptimeSeconds how long the server's JVM has run
 * @param jobsByState stored jobs per state
 * @param engine the engine's counters by name ({@code submitted}, {@code succeeded}, {@code failovers}…)
 * @param deliveries webhook delivery counters by name, empty without a dispatcher
 */
public record ResourceMetrics(Instant timestamp, Memory heap, Memory nonHeap, Map<String, Object> cpu, Threads threads,
        long uptimeSeconds, Map<JobState, Long> jobsByState, Map<String, Object> engine,
        Map<String, Object> deliveries) {
    /**
     * Null maps become empty.
     *
     * @param timestamp when measured
     * @param heap JVM heap use
     * @param nonHeap JVM non-heap use
     * @param cpu CPU figures by name
     * @param threads JVM threads
     * @param uptimeSeconds how long the JVM has run
     * @param jobsByState stored jobs per state
     * @param engine the engine's counters
     * @param deliveries webhook delivery counters
     */
    public ResourceMetrics {
        cpu = copy(cpu);
        jobsByState = jobsByState == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(jobsByState));
        engine = copy(engine);
        deliveries = copy(deliveries);
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * Memory use of one JVM pool.
     *
     * @param usedBytes in use
     * @param committedBytes committed by the JVM
     * @param maxBytes the most it may grow to, -1 when unbounded
     */
    public record Memory(long usedBytes, long committedBytes, long maxBytes) {}

    /**
     * JVM thread counts.
     *
     * @param live live threads
     * @param daemon live daemon threads
     * @param peak the most live threads since start
     */
    public record Threads(int live, int daemon, int peak) {}
}
