package io.cortex.core.job;

import io.cortex.core.util.Preconditions;
import io.cortex.core.provider.ProviderId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to run: an image, a command, an environment, the resources it needs and the rules it runs
 * under. Immutable; built with {@link #builder()}, which validates every field and names the field
 * in its error.
 *
 * <p>Environment values may hold secrets: {@link #toString()} prints only the variable names.
 */
public final class JobSpec {
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Attempts a job gets when the spec does not say. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final ImageRef image;
    private final List<String> command;
    private final Map<String, String> env;
    private final Resources resources;
    private final Duration maxRunTime;
    private final BigDecimal maxPrice;
    private final Map<String, String> labels;
    private final ProviderConstraints constraints;
    private final int maxAttempts;
    private final boolean rerunOnProviderLoss;

    private JobSpec(Builder b) {
        this.image = Preconditions.notNull(b.image, "image");
        this.command = List.copyOf(b.command);
        this.env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
        this.resources = b.resources == null ? Resources.DEFAULT : b.resources;
        this.maxRunTime = b.maxRunTime;
        this.maxPrice = b.maxPrice;
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
        this.constraints = new ProviderConstraints(b.allow, b.deny, b.preferred);
        this.maxAttempts = b.maxAttempts;
        this.rerunOnProviderLoss = b.rerunOnProviderLoss;
    }

    /** A new builder. {@code image} is the one required field. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.image = image;
        b.command.addAll(command);
        b.env.putAll(env);
        b.resources = resources;
        b.maxRunTime = maxRunTime;
        b.maxPrice = maxPrice;
        b.labels.putAll(labels);
        b.allow.addAll(constraints.allow());
        b.deny.addAll(constraints.deny());
        b.preferred.addAll(constraints.preferred());
        b.maxAttempts = maxAttempts;
        b.rerunOnProviderLoss = rerunOnProviderLoss;
        return b;
    }

    /** A copy with other resources. */
    public JobSpec withResources(Resources newResources) {
        Builder b = toBuilder();
        b.resources = Preconditions.notNull(newResources, "resources");
        return new JobSpec(b);
    }

    /** The container image. */
    public ImageRef image() {
        return image;
    }

    /** The command and its arguments; empty means the image's default. */
    public List<String> command() {
        return command;
    }

    /** Environment variables, in insertion order. */
    public Map<String, String> env() {
        return env;
    }

    /** The resources requested. */
    public Resources resources() {
        return resources;
    }

    /** The longest the job may run once started, if limited. */
    public Optional<Duration> maxRunTime() {
        return Optional.ofNullable(maxRunTime);
    }

    /** The most the job may cost across all its attempts, if capped (same currency as providers' prices). */
    public Optional<BigDecimal> maxPrice() {
        return Optional.ofNullable(maxPrice);
    }

    /** Labels, for queries. */
    public Map<String, String> labels() {
        return labels;
    }

    /** Which providers the job may use. */
    public ProviderConstraints constraints() {
        return constraints;
    }

    /** How many attempts (placements on a provider) the job gets before it fails for good. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a job lost by its provider while running goes back to PENDING (true by default). */
    public boolean rerunOnProviderLoss() {
        return rerunOnProviderLoss;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobSpec s && s.image.equals(image) && s.command.equals(command) && s.env.equals(env)
                && s.resources.equals(resources) && Objects.equals(s.maxRunTime, maxRunTime)
                && (s.maxPrice == null ? maxPrice == null : maxPrice != null && s.maxPrice.compareTo(maxPrice) == 0)
                && s.labels.equals(labels) && s.constraints.equals(constraints) && s.maxAttempts == maxAttempts
                && s.rerunOnProviderLoss == rerunOnProviderLoss;
    }

    @Override
    public int hashCode() {
        return Objects.hash(image, command, env, resources, maxRunTime, labels, constraints, maxAttempts);
    }

    @Override
    public String toString() {
        return "JobSpec{image=" + image + ", command=" + command + ", env=" + env.keySet() + " (values hidden)"
                + ", resources=" + resources + (maxRunTime != null ? ", maxRunTime=" + maxRunTime : "")
                + (maxPrice != null ? ", maxPrice=" + maxPrice.toPlainString() : "") + ", labels=" + labels
                + ", maxAttempts=" + maxAttempts + "}";
    }

    /** Builds a {@link JobSpec}; {@link #build()} validates and copies. */
    public static final class Builder {
        private ImageRef image;
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Resources resources;
        private Duration maxRunTime;
        private BigDecimal maxPrice;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Set<ProviderId> allow = new LinkedHashSet<>();
        private final Set<ProviderId> deny = new LinkedHashSet<>();
        private final List<ProviderId> preferred = new ArrayList<>();
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private boolean rerunOnProviderLoss = true;

        private Builder() {}

        /**
         * The image, e.g. {@code "ghcr.io/acme/train:1.2"}.
         *
         * @throws IllegalArgumentException when not a valid image reference
         */
        public Builder image(String reference) {
            this.image = ImageRef.parse(reference);
            return this;
        }

        /** The image, already parsed. */
        public Builder image(ImageRef reference) {
            this.image = Preconditions.notNull(reference, "image");
            return this;
        }

        /**
         * The command and arguments, replacing earlier ones.
         *
         * @throws NullPointerException when an element is null
         */
        public Builder command(String... commandAndArgs) {
            return command(Arrays.asList(commandAndArgs));
        }

        /**
         * The command and arguments, replacing earlier ones.
         *
         * @throws NullPointerException when the list or an element is null
         */
        public Builder command(List<String> commandAndArgs) {
            Preconditions.notNull(commandAndArgs, "command");
            for (int i = 0; i < commandAndArgs.size(); i++) {
                Preconditions.notNull(commandAndArgs.get(i), "command[" + i + "]");
            }
            command.clear();
            command.addAll(commandAndArgs);
            return this;
        }

        /**
         * One environment variable.
         *
         * @throws IllegalArgumentException when the name is not a valid variable name
         */
        public Builder env(String name, String value) {
            Preconditions.notNull(name, "env name");
            Preconditions.notNull(value, "env[" + name + "]");
            Preconditions.argument(ENV_NAME.matcher(name).matches(),
                    "env name '%s' must match [A-Za-z_][A-Za-z0-9_]*", name);
            env.put(name, value);
            return this;
        }

        /**
         * Every variable of {@code variables}.
         *
         * @throws IllegalArgumentException when a name is not a valid variable name
         */
        public Builder env(Map<String, String> variables) {
            Preconditions.notNull(variables, "env");
            variables.forEach(this::env);
            return this;
        }

        /** The resources requested. */
        public Builder resources(Resources value) {
            this.resources = Preconditions.notNull(value, "resources");
            return this;
        }

        /**
         * Resources in the operator guide's form, e.g. {@code resources(1000, "1Gi", "10Gi")}.
         *
         * @throws IllegalArgumentException naming the field when a value is invalid
         */
        public Builder resources(int cpuMillis, String memory, String storage) {
            return resources(Resources.of(cpuMillis, memory, storage));
        }

        /**
         * The longest the job may run once started.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxRunTime(Duration value) {
            Preconditions.notNull(value, "maxRunTime");
            Preconditions.argument(!value.isNegative() && !value.isZero(), "maxRunTime must be positive, got %s", value);
            this.maxRunTime = value;
            return this;
        }

        /**
         * The most the job may cost across all attempts.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder maxPrice(BigDecimal value) {
            Preconditions.notNull(value, "maxPrice");
            Preconditions.argument(value.signum() >= 0, "maxPrice must not be negative, got %s", value.toPlainString());
            this.maxPrice = value;
            return this;
        }

        /**
         * The most the job may cost, as text, e.g. {@code "2.50"}.
         *
         * @throws IllegalArgumentException when not a non-negative decimal number
         */
        public Builder maxPrice(String value) {
            Preconditions.notNull(value, "maxPrice");
            try {
                return maxPrice(new BigDecimal(value.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("maxPrice '" + value + "' is not a decimal number");
            }
        }

        /**
         * One label.
         *
         * @throws IllegalArgumentException when the key is not 1 to 63 of [A-Za-z0-9._/-] starting and
         *     ending alphanumeric, or the value is longer than 256 characters
         */
        public Builder label(String key, String value) {
            Preconditions.notNull(key, "label key");
            Preconditions.notNull(value, "label[" + key + "]");
            Preconditions.argument(LABEL_KEY.matcher(key).matches(),
                    "label key '%s' must be 1 to 63 of [A-Za-z0-9._/-], starting and ending with a letter or digit", key);
            Preconditions.argument(value.length() <= 256, "label[%s] must be at most 256 characters, got %d", key, value.length());
            labels.put(key, value);
            return this;
        }

        /**
         * Every label of {@code values}.
         *
         * @throws IllegalArgumentException when a key or value breaks the label rules
         */
        public Builder labels(Map<String, String> values) {
            Preconditions.notNull(values, "labels");
            values.forEach(this::label);
            return this;
        }

        /** Restricts the job to these providers (adds to the allow list). */
        public Builder allowProviders(String... ids) {
            for (String id : ids) {
                allow.add(ProviderId.of(id));
            }
            return this;
        }

        /** Never runs the job on these providers. */
        public Builder denyProviders(String... ids) {
            for (String id : ids) {
                deny.add(ProviderId.of(id));
            }
            return this;
        }

        /** Tries these providers first, in this order. */
        public Builder preferProviders(String... ids) {
            for (String id : ids) {
                preferred.add(ProviderId.of(id));
            }
            return this;
        }

        /**
         * How many attempts the job gets (1 to 100).
         *
         * @throws IllegalArgumentException when out of range
         */
        public Builder maxAttempts(int value) {
            Preconditions.argument(value >= 1 && value <= 100, "maxAttempts must be between 1 and 100, got %d", value);
            this.maxAttempts = value;
            return this;
        }

        /** Whether a job lost mid-run goes back to PENDING (default true). */
        public Builder rerunOnProviderLoss(boolean value) {
            this.rerunOnProviderLoss = value;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws NullPointerException when no image was given
         * @throws IllegalArgumentException when the constraints contradict each other
         */
        public JobSpec build() {
            return new JobSpec(this);
        }
    }
}
