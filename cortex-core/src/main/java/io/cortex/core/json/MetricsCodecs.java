package io.cortex.core.json;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.json.ObjectCodecs.ObjectDeserializer;
import io.cortex.core.json.ObjectCodecs.ObjectSerializer;
import io.cortex.core.json.ObjectCodecs.Out;
import io.cortex.core.json.ObjectCodecs.Values;
import io.cortex.core.metrics.DeliveryCounts;
import io.cortex.core.metrics.HistoryRange;
import io.cortex.core.metrics.MetricsSample;
import io.cortex.core.metrics.MetricsSeries;
import io.cortex.core.provider.ProviderStatus;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Codecs of the engine's history, in the shape the dashboard's charts read
 * ({@code GET /api/system/metrics/history}): map keys are the enums' upper-case names
 * ({@code "RUNNING"}, {@code "OFFLINE"}, {@code "PROVIDER_OFFLINE"}) and {@code failovers}, the sum
 * of {@code failoversByReason}, is written for readers and skipped on read.
 */
@SuppressWarnings("serial") // Jackson codecs are Serializable by inheritance; Cortex never Java-serializes them
final class MetricsCodecs {
    private MetricsCodecs() {}

    private static final Type COUNTS = new TypeReference<Map<String, Long>>() {}.getType();
    private static final Type SAMPLES = new TypeReference<List<MetricsSample>>() {}.getType();

    /**
     * {@code {"at","jobsByState":{…},"submitted","succeeded","failed","cancelled","failovers",
     * "failoversByReason":{…},"providers":{…},"deliveries":{"succeeded","failed"}}}.
     */
    static final class SampleSerializer extends ObjectSerializer<MetricsSample> {
        SampleSerializer() {
            super(MetricsSample.class);
        }

        @Override
        void write(MetricsSample s, Out out) throws IOException {
            out.field("at", s.at()).field("jobsByState", names(s.jobsByState())).field("submitted", s.submitted())
                    .field("succeeded", s.succeeded()).field("failed", s.failed()).field("cancelled", s.cancelled())
                    .field("failovers", s.failovers()).field("failoversByReason", names(s.failoversByReason()))
                    .field("providers", names(s.providers())).field("deliveries", s.deliveries());
        }
    }

    /** Reads a sample; every field but {@code at} defaults to zero, {@code failovers} is skipped. */
    static final class SampleDeserializer extends ObjectDeserializer<MetricsSample> {
        SampleDeserializer() {
            super(MetricsSample.class);
            field("at", Instant.class);
            field("jobsByState", COUNTS);
            field("submitted", Long.class);
            field("succeeded", Long.class);
            field("failed", Long.class);
            field("cancelled", Long.class);
            field("failoversByReason", COUNTS);
            field("providers", COUNTS);
            field("deliveries", DeliveryCounts.class);
            derived("failovers");
        }

        @Override
        MetricsSample build(Values v) throws IOException {
            Instant at = v.require("at");
            Map<String, Long> states = v.get("jobsByState", Map.of());
            Map<String, Long> reasons = v.get("failoversByReason", Map.of());
            Map<String, Long> statuses = v.get("providers", Map.of());
            long submitted = v.get("submitted", 0L);
            long succeeded = v.get("succeeded", 0L);
            long failed = v.get("failed", 0L);
            long cancelled = v.get("cancelled", 0L);
            DeliveryCounts deliveries = v.get("deliveries", DeliveryCounts.NONE);
            return v.construct(() -> new MetricsSample(at, enums(JobState.class, states, "jobsByState"), submitted,
                    succeeded, failed, cancelled, enums(ReasonCode.class, reasons, "failoversByReason"),
                    enums(ProviderStatus.class, statuses, "providers"), deliveries));
        }
    }

    /** {@code {"range":"1h","step":"PT1M","from","to","points":[…]}}; {@code step} is skipped on read. */
    static final class SeriesSerializer extends ObjectSerializer<MetricsSeries> {
        SeriesSerializer() {
            super(MetricsSeries.class);
        }

        @Override
        void write(MetricsSeries s, Out out) throws IOException {
            out.field("range", s.range().wireName()).field("step", s.step()).field("from", s.from())
                    .field("to", s.to()).field("points", s.points());
        }
    }

    /** Reads a series; {@code range} is its wire name. */
    static final class SeriesDeserializer extends ObjectDeserializer<MetricsSeries> {
        SeriesDeserializer() {
            super(MetricsSeries.class);
            field("range", String.class);
            field("from", Instant.class);
            field("to", Instant.class);
            field("points", SAMPLES);
            derived("step");
        }

        @Override
        MetricsSeries build(Values v) throws IOException {
            String range = v.require("range");
            Instant from = v.require("from");
            Instant to = v.require("to");
            List<MetricsSample> points = v.get("points", List.of());
            return v.construct(() -> new MetricsSeries(HistoryRange.parse(range), from, to, points));
        }
    }

    private static Map<String, Long> names(Map<? extends Enum<?>, Long> values) {
        Map<String, Long> out = new LinkedHashMap<>();
        values.forEach((k, n) -> out.put(k.name(), n));
        return out;
    }

    private static <E extends Enum<E>> Map<E, Long> enums(Class<E> type, Map<String, Long> values, String field) {
        Map<E, Long> out = new EnumMap<>(type);
        values.forEach((name, n) -> {
            try {
                out.put(ValueCodecs.enumIgnoringCase(type, name), n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + " key '" + name + "' is " + e.getMessage(), e);
            }
        });
        return out;
    }
}
