package io.cortex.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.cortex.core.json.ObjectCodecs.ObjectDeserializer;
import io.cortex.core.json.ObjectCodecs.ObjectSerializer;
import io.cortex.core.json.ObjectCodecs.Out;
import io.cortex.core.json.ObjectCodecs.Values;
import io.cortex.core.job.Attempt;
import io.cortex.core.job.ImageRef;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ProviderConstraints;
import io.cortex.core.job.Quantity;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderId;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Codecs of the model types whose JSON shape is not their Java shape: {@link Resources},
 * {@link ProviderConstraints}, {@link JobSpec}, {@link Job} and {@link Credentials}.
 */
@SuppressWarnings("serial") // Jackson codecs are Serializable by inheritance; Cortex never Java-serializes them
final class ModelCodecs {
    private ModelCodecs() {}

    private static final Type STRINGS = new TypeReference<List<String>>() {}.getType();
    private static final Type STRING_MAP = new TypeReference<Map<String, String>>() {}.getType();
    private static final Type PROVIDER_IDS = new TypeReference<List<ProviderId>>() {}.getType();
    private static final Type ATTEMPTS = new TypeReference<List<Attempt>>() {}.getType();

    /** {@code {"cpu":1000,"memory":"1Gi","storage":"10Gi","gpus":0}}. */
    static final class ResourcesSerializer extends ObjectSerializer<Resources> {
        ResourcesSerializer() {
            super(Resources.class);
        }

        @Override
        void write(Resources r, Out out) throws IOException {
            out.field("cpu", r.cpuMillis()).field("memory", r.memory()).field("storage", r.storage())
                    .field("gpus", r.gpus());
        }
    }

    /** Reads the operator guide's resources body; cpu, memory and storage are required, gpus defaults to 0. */
    static final class ResourcesDeserializer extends ObjectDeserializer<Resources> {
        ResourcesDeserializer() {
            super(Resources.class);
            field("cpu", Integer.class);
            field("memory", Quantity.class);
            field("storage", Quantity.class);
            field("gpus", Integer.class);
        }

        @Override
        Resources build(Values v) throws IOException {
            int cpu = v.require("cpu");
            Quantity memory = v.require("memory");
            Quantity storage = v.require("storage");
            int gpus = v.get("gpus", 0);
            return v.construct(() -> new Resources(cpu, memory, storage, gpus));
        }
    }

    /** {@code {"allow":[…],"deny":[…],"preferred":[…]}}; allow and deny sorted, so output is stable. */
    static final class ConstraintsSerializer extends ObjectSerializer<ProviderConstraints> {
        ConstraintsSerializer() {
            super(ProviderConstraints.class);
        }

        @Override
        void write(ProviderConstraints c, Out out) throws IOException {
            out.field("allow", new TreeSet<>(c.allow())).field("deny", new TreeSet<>(c.deny()))
                    .field("preferred", c.preferred());
        }
    }

    /** Reads constraints; every list is optional (empty). */
    static final class ConstraintsDeserializer extends ObjectDeserializer<ProviderConstraints> {
        ConstraintsDeserializer() {
            super(ProviderConstraints.class);
            field("allow", PROVIDER_IDS);
            field("deny", PROVIDER_IDS);
            field("preferred", PROVIDER_IDS);
        }

        @Override
        ProviderConstraints build(Values v) throws IOException {
            List<ProviderId> allow = v.get("allow", List.of());
            List<ProviderId> deny = v.get("deny", List.of());
            List<ProviderId> preferred = v.get("preferred", List.of());
            return v.construct(() -> new ProviderConstraints(Set.copyOf(allow), Set.copyOf(deny), preferred));
        }
    }

    /** Every field of a {@link JobSpec}; absent optional ones omitted. */
    static final class JobSpecSerializer extends ObjectSerializer<JobSpec> {
        JobSpecSerializer() {
            super(JobSpec.class);
        }

        @Override
        void write(JobSpec s, Out out) throws IOException {
            out.field("image", s.image()).field("command", s.command()).field("env", s.env())
                    .field("resources", s.resources()).field("maxRunTime", s.maxRunTime())
                    .field("maxPrice", s.maxPrice()).field("labels", s.labels())
                    .field("constraints", s.constraints()).field("maxAttempts", s.maxAttempts())
                    .field("rerunOnProviderLoss", s.rerunOnProviderLoss());
        }
    }

    /**
     * Reads a {@link JobSpec} through {@link JobSpec#builder()}, so every validation of the builder
     * applies; only {@code image} is required, the rest takes the builder's defaults.
     */
    static final class JobSpecDeserializer extends ObjectDeserializer<JobSpec> {
        JobSpecDeserializer() {
            super(JobSpec.class);
            field("image", ImageRef.class);
            field("command", STRINGS);
            field("env", STRING_MAP);
            field("resources", Resources.class);
            field("maxRunTime", Duration.class);
            field("maxPrice", BigDecimal.class);
            field("labels", STRING_MAP);
            field("constraints", ProviderConstraints.class);
            field("maxAttempts", Integer.class);
            field("rerunOnProviderLoss", Boolean.class);
        }

        @Override
        JobSpec build(Values v) throws IOException {
            JobSpec.Builder b = JobSpec.builder().image(v.<ImageRef>require("image"));
            v.<List<String>>ifPresent("command", b::command);
            v.<Map<String, String>>ifPresent("env", b::env);
            v.<Resources>ifPresent("resources", b::resources);
            v.<Duration>ifPresent("maxRunTime", b::maxRunTime);
            v.<BigDecimal>ifPresent("maxPrice", b::maxPrice);
            v.<Map<String, String>>ifPresent("labels", b::labels);
            v.<ProviderConstraints>ifPresent("constraints", c -> b.allowProviders(ids(c.allow()))
                    .denyProviders(ids(c.deny())).preferProviders(ids(c.preferred())));
            v.<Integer>ifPresent("maxAttempts", b::maxAttempts);
            v.<Boolean>ifPresent("rerunOnProviderLoss", b::rerunOnProviderLoss);
            return v.construct(b::build);
        }

        private static String[] ids(Collection<ProviderId> ids) {
            return ids.stream().map(ProviderId::value).toArray(String[]::new);
        }
    }

    /**
     * Every public read of a {@link Job}. {@code attempt}, {@code provider}, {@code attemptsLeft},
     * {@code attemptsUsed} and {@code spent} are derived from the other fields: written for readers,
     * skipped on read.
     */
    static final class JobSerializer extends ObjectSerializer<Job> {
        JobSerializer() {
            super(Job.class);
        }

        @Override
        void write(Job j, Out out) throws IOException {
            out.field("id", j.id()).field("spec", j.spec()).field("state", j.state()).field("version", j.version())
                    .field("attempt", j.attempt()).field("attempts", j.attempts()).field("provider", j.provider())
                    .field("createdAt", j.createdAt()).field("updatedAt", j.updatedAt())
                    .field("lastReason", j.lastReason()).field("lastMessage", j.lastMessage())
                    .field("attemptsLeft", j.attemptsLeft()).field("attemptsUsed", j.attemptsUsed())
                    .field("spent", j.spent()).field("budgetStart", j.budgetStart())
                    .field("pinnedProvider", j.pinnedProvider());
        }
    }

    /** Reads a {@link Job} with {@link Job#restore}: no transition is checked. */
    static final class JobDeserializer extends ObjectDeserializer<Job> {
        JobDeserializer() {
            super(Job.class);
            field("id", JobId.class);
            field("spec", JobSpec.class);
            field("state", JobState.class);
            field("version", Long.class);
            field("attempts", ATTEMPTS);
            field("budgetStart", Integer.class);
            field("pinnedProvider", ProviderId.class);
            field("createdAt", Instant.class);
            field("updatedAt", Instant.class);
            field("lastReason", ReasonCode.class);
            field("lastMessage", String.class);
            derived("attempt", "provider", "attemptsLeft", "attemptsUsed", "spent");
        }

        @Override
        Job build(Values v) throws IOException {
            JobId id = v.require("id");
            JobSpec spec = v.require("spec");
            JobState state = v.require("state");
            long version = v.require("version");
            List<Attempt> attempts = v.get("attempts", List.of());
            int budgetStart = v.get("budgetStart", 0);
            ProviderId pinned = v.get("pinnedProvider");
            Instant createdAt = v.require("createdAt");
            Instant updatedAt = v.require("updatedAt");
            ReasonCode lastReason = v.require("lastReason");
            String lastMessage = v.get("lastMessage", "");
            return v.construct(() -> Job.restore(id, spec, state, version, attempts, budgetStart, pinned,
                    createdAt, updatedAt, lastReason, lastMessage));
        }
    }

    /** Redacted: {@code {"names":[…],"expiresAt":"…"}}, never a secret value. */
    static final class CredentialsSerializer extends ObjectSerializer<Credentials> {
        CredentialsSerializer() {
            super(Credentials.class);
        }

        @Override
        void write(Credentials c, Out out) throws IOException {
            out.field("names", c.values().keySet()).field("expiresAt", c.expiresAt());
        }
    }

    /**
     * Reads the operator guide's flat body, {@code {"apiKey":"…","secret":"…"}}: every field is one
     * credential, its value a string. Errors name the credential, never its value.
     */
    static final class CredentialsDeserializer extends StdDeserializer<Credentials> {
        CredentialsDeserializer() {
            super(Credentials.class);
        }

        @Override
        public Credentials deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JavaType type = ctxt.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, String.class);
            Map<String, String> values = ctxt.readValue(p, type);
            try {
                return Credentials.of(values);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw ValueInstantiationException.from(p, "Invalid Credentials: " + e.getMessage(),
                        ctxt.constructType(Credentials.class), e);
            }
        }
    }
}
