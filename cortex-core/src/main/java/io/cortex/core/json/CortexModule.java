package io.cortex.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Attempt;
import io.cortex.core.job.ImageRef;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ProviderConstraints;
import io.cortex.core.job.Quantity;
import io.cortex.core.job.Resources;
import io.cortex.core.json.ValueCodecs.NumberReader;
import io.cortex.core.json.ValueCodecs.TextDeserializer;
import io.cortex.core.json.ValueCodecs.TextKeyDeserializer;
import io.cortex.core.json.ValueCodecs.TextParser;
import io.cortex.core.json.ValueCodecs.TextSerializer;
import io.cortex.core.metrics.MetricsSample;
import io.cortex.core.metrics.MetricsSeries;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.RemoteState;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.core.service.ServiceState;
import io.cortex.core.store.Page;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The serializers and deserializers of Cortex's domain model, so that domain types carry no Jackson
 * annotation. Use it through {@link CortexJson#mapper()}; it depends on {@code jackson-datatype-jsr310},
 * which it registers.
 *
 * <p>Shapes:
 * <ul>
 *   <li>{@code Quantity}: canonical string {@code "1Gi"}; read from a string ({@code "1.5Gi"},
 *       {@code "10G"}) or a whole number of bytes;</li>
 *   <li>{@code ImageRef}, {@code JobId}, {@code ProviderId}, {@code ProviderJobRef}: strings;</li>
 *   <li>{@code BigDecimal} (every amount of money): a string in plain notation ({@code "12.50"}); read
 *       from a string or a number, exactly;</li>
 *   <li>{@code JobState}, {@code ProviderStatus}, {@code RemoteState}, {@code ServiceState}: lower-case
 *       names ({@code "pending"}, {@code "offline"}), also as map keys; read ignoring case. Other enums,
 *       among them {@code ReasonCode}, keep their upper-case names;</li>
 *   <li>{@code Resources}: {@code {"cpu":1000,"memory":"1Gi","storage":"10Gi","gpus":0}}, gpus optional
 *       on read;</li>
 *   <li>{@code JobSpec}: {@code image, command, env, resources, maxRunTime, maxPrice, labels,
 *       constraints{allow,deny,preferred}, maxAttempts, rerunOnProviderLoss}; read through
 *       {@code JobSpec.builder()}, only {@code image} required. Env values are written as they are
 *       (a store must keep them): a response that must hide them has to drop them first;</li>
 *   <li>{@code Job}: its stored fields plus the derived {@code attempt, provider, attemptsLeft,
 *       attemptsUsed, spent} (ignored on read); read with {@code Job.restore};</li>
 *   <li>{@code Credentials} — <b>asymmetric</b>: written redacted as
 *       {@code {"names":["apiKey","secret"],"expiresAt":"…"}}, never a secret value; read from the
 *       operator guide's flat body {@code {"apiKey":"…","secret":"…"}} (every field a credential). A
 *       written value therefore does not read back: to send credentials, write {@code credentials.values()};</li>
 *   <li>{@code Page}: {@code {"items":[…],"offset":0,"limit":100,"total":5,"hasMore":false}};</li>
 *   <li>{@code MetricsSample}, {@code MetricsSeries}: the shape of {@code GET /api/system/metrics/history}
 *       (see {@code MetricsCodecs}): map keys are upper-case enum names ({@code "RUNNING"}, {@code "OFFLINE"}),
 *       a series' {@code range} is its wire name ({@code "24h"}); the derived {@code failovers} and
 *       {@code step} are written and skipped on read;</li>
 *   <li>{@code Optional}: its value, omitted when empty;</li>
 *   <li>the other records ({@code Attempt}, {@code JobEvent}, {@code PlacementNote}, {@code RemoteStatus},
 *       provider, event, diagnostics, service, log and metrics records): their components, by Jackson's
 *       record support; derived predicates such as {@code Attempt.isOpen()} are not written.</li>
 * </ul>
 */
public final class CortexModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    /** A module with every Cortex codec registered. */
    public CortexModule() {
        super("cortex-json", Version.unknownVersion());
        text(Quantity.class, Quantity::toString, (field, s) -> Quantity.parse(field == null ? "quantity" : field, s),
                CortexModule::wholeBytes);
        text(ImageRef.class, ImageRef::toString, (field, s) -> ImageRef.parse(s), null);
        text(JobId.class, JobId::value, (field, s) -> JobId.of(s), null);
        text(ProviderId.class, ProviderId::value, (field, s) -> ProviderId.of(s), null);
        text(ProviderJobRef.class, ProviderJobRef::value, (field, s) -> ProviderJobRef.of(s), null);
        text(BigDecimal.class, BigDecimal::toPlainString, (field, s) -> new BigDecimal(s.trim()),
                JsonParser::getDecimalValue);
        keys(JobId.class, JobId::value, (field, s) -> JobId.of(s));
        keys(ProviderId.class, ProviderId::value, (field, s) -> ProviderId.of(s));
        lowerCase(JobState.class);
        lowerCase(ProviderStatus.class);
        lowerCase(RemoteState.class);
        lowerCase(ServiceState.class);

        addSerializer(Resources.class, new ModelCodecs.ResourcesSerializer());
        addDeserializer(Resources.class, new ModelCodecs.ResourcesDeserializer());
        addSerializer(ProviderConstraints.class, new ModelCodecs.ConstraintsSerializer());
        addDeserializer(ProviderConstraints.class, new ModelCodecs.ConstraintsDeserializer());
        addSerializer(JobSpec.class, new ModelCodecs.JobSpecSerializer());
        addDeserializer(JobSpec.class, new ModelCodecs.JobSpecDeserializer());
        addSerializer(Job.class, new ModelCodecs.JobSerializer());
        addDeserializer(Job.class, new ModelCodecs.JobDeserializer());
        addSerializer(Credentials.class, new ModelCodecs.CredentialsSerializer());
        addDeserializer(Credentials.class, new ModelCodecs.CredentialsDeserializer());

        addSerializer(MetricsSample.class, new MetricsCodecs.SampleSerializer());
        addDeserializer(MetricsSample.class, new MetricsCodecs.SampleDeserializer());
        addSerializer(MetricsSeries.class, new MetricsCodecs.SeriesSerializer());
        addDeserializer(MetricsSeries.class, new MetricsCodecs.SeriesDeserializer());

        addSerializer(new ValueCodecs.OptionalSerializer());
        addDeserializer(Optional.class, new ValueCodecs.OptionalDeserializer(null));

        setMixInAnnotation(Attempt.class, Mixins.AttemptMixin.class);
        setMixInAnnotation(JobEvent.class, Mixins.JobEventMixin.class);
        setMixInAnnotation(RemoteStatus.class, Mixins.RemoteStatusMixin.class);
        setMixInAnnotation(Page.class, Mixins.PageMixin.class);
        setMixInAnnotation(CortexEvent.class, Mixins.CortexEventMixin.class);
    }

    /**
     * Registers {@code jackson-datatype-jsr310} before this module.
     *
     * @return the Java time module
     */
    @Override
    public Iterable<? extends Module> getDependencies() {
        return List.of(new JavaTimeModule());
    }

    private <T> void text(Class<T> type, Function<T, String> format, TextParser<T> parse, NumberReader<T> numbers) {
        addSerializer(type, new TextSerializer<>(type, format, false));
        addDeserializer(type, new TextDeserializer<>(type, parse, numbers));
    }

    private <T> void keys(Class<T> type, Function<T, String> format, TextParser<T> parse) {
        addKeySerializer(type, new TextSerializer<>(type, format, true));
        addKeyDeserializer(type, new TextKeyDeserializer<>(type, parse));
    }

    private <E extends Enum<E>> void lowerCase(Class<E> type) {
        TextParser<E> parse = (field, s) -> ValueCodecs.enumIgnoringCase(type, s);
        text(type, ValueCodecs::wireName, parse, null);
        keys(type, ValueCodecs::wireName, parse);
    }

    private static Quantity wholeBytes(JsonParser p) throws java.io.IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("a quantity is a whole number of bytes or a string like \"1Gi\"");
        }
        return Quantity.ofBytes(p.getLongValue());
    }
}
