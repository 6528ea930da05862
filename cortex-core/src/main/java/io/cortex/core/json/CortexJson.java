package io.cortex.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Optional;

/**
 * The Jackson configuration every Cortex module reuses: the engine's stores, the REST server and
 * client, and the webhooks all read and write JSON through {@link #mapper()} (or a copy from
 * {@link #newMapper()}), so the wire format is defined once.
 *
 * <p>Configuration:
 * <ul>
 *   <li>{@link CortexModule}, and with it {@code jackson-datatype-jsr310};</li>
 *   <li>instants written as ISO-8601 strings, durations as ISO-8601 strings ({@code "PT5M"});</li>
 *   <li>{@link DeserializationFeature#FAIL_ON_UNKNOWN_PROPERTIES}: an unknown field is an error that
 *       names the field (the REST API rejects misspelt bodies instead of ignoring them);</li>
 *   <li>{@link DeserializationFeature#FAIL_ON_TRAILING_TOKENS}: content after the value is an error;</li>
 *   <li>null values omitted on write ({@code NON_NULL}); an {@link Optional} is written as its value,
 *       or omitted when empty, and read back as {@code Optional.empty()} when null or absent;</li>
 *   <li>money as JSON strings, quantities, ids, images and states as described in
 *       {@link CortexModule}.</li>
 * </ul>
 */
public final class CortexJson {
    private CortexJson() {}

    /** Built on first use, then shared. */
    private static final class Shared {
        static final ObjectMapper MAPPER = newMapper();
    }

    /**
     * The shared, fully configured mapper. It is thread-safe for reading and writing, and it is shared
     * by every caller in the process: callers <b>must not reconfigure it</b> (no {@code configure},
     * {@code registerModule}, {@code setXxx} calls). Derive per-call variations with
     * {@code mapper().reader(...)} / {@code mapper().writer(...)}, or take a private copy with
     * {@link #newMapper()}.
     *
     * @return the shared mapper
     */
    public static ObjectMapper mapper() {
        return Shared.MAPPER;
    }

    /**
     * A new mapper configured exactly like {@link #mapper()}, owned by the caller, who may configure
     * it further (e.g. enable pretty printing) without affecting anyone else.
     *
     * @return a fresh mapper
     */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.USE_DEFAULTS))
                // an empty Optional counts as absent: CortexModule's Optional serializer reports it empty
                .withConfigOverride(Optional.class, o -> o.setIncludeAsProperty(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.USE_DEFAULTS)))
                .build();
    }

    /**
     * A new instance of the module holding Cortex's serializers and deserializers (it brings
     * {@code jackson-datatype-jsr310} along). The module alone does not set the features listed on this
     * class: prefer {@link #newMapper()}, and use the module only to extend a mapper configured the
     * same way.
     *
     * @return a fresh module
     */
    public static CortexModule module() {
        return new CortexModule();
    }
}
