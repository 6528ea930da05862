package io.cortex.provider.process;

import io.cortex.core.job.Quantity;
import io.cortex.core.provider.ProviderId;
import java.lang.management.ManagementFactory;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a {@link ProcessProvider} runs jobs. Immutable; made with {@link #builder()},
 * {@link #ofDefaults()} or, from an engine's string settings, {@link #fromSettings(ProviderId, Map)}.
 *
 * <p>Settings (all optional):
 * <table>
 *   <caption>process provider settings</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code cpu}</td><td>millicores shared by the jobs running at once; also the most one job may ask for</td>
 *       <td>1000 per available processor</td></tr>
 *   <tr><td>{@code memory}</td><td>memory shared by the jobs running at once (a quantity like {@code 8Gi})</td>
 *       <td>the machine's physical memory</td></tr>
 *   <tr><td>{@code storage}</td><td>the most storage one job may ask for</td><td>the size of the work directory's file system</td></tr>
 *   <tr><td>{@code maxJobs}</td><td>processes running at once</td><td>64</td></tr>
 *   <tr><td>{@code imagePolicy}</td><td>{@code ignore}: the job's image is not looked at; {@code allowlist}: it must
 *       match one of {@code allowedImages}</td><td>{@code ignore}</td></tr>
 *   <tr><td>{@code allowedImages}</td><td>comma-separated patterns, {@code *} matching anything, compared with the
 *       reference as written ({@code alpine:3.20}) and in full ({@code docker.io/library/alpine:3.20})</td><td>none</td></tr>
 *   <tr><td>{@code workDir}</td><td>where each job gets a directory of its own, deleted when it ends</td>
 *       <td>a new temporary directory, deleted on close</td></tr>
 *   <tr><td>{@code defaultMaxRunTime}</td><td>max run time of a job whose spec sets none (ISO-8601 like {@code PT1H},
 *       or milliseconds)</td><td>none</td></tr>
 *   <tr><td>{@code killGracePeriod}</td><td>between SIGTERM and SIGKILL when a job is cancelled or overruns</td><td>{@code PT2S}</td></tr>
 *   <tr><td>{@code logLines}</td><td>lines kept per job, oldest dropped first</td><td>10000</td></tr>
 *   <tr><td>{@code maxLineLength}</td><td>bytes per log line; longer lines are cut</td><td>8192</td></tr>
 *   <tr><td>{@code inheritEnvironment}</td><td>{@code true}: jobs see the host's environment; {@code false}: only
 *       {@code PATH}, {@code HOME}, {@code TMPDIR} and the job's own variables</td><td>{@code false}</td></tr>
 *   <tr><td>{@code retainedFinished}</td><td>finished jobs whose status and logs are kept</td><td>1000</td></tr>
 * </table>
 */
public final class ProcessProviderConfig {
    /** What the provider does with a job's image. */
    public enum ImagePolicy {
        /** The image is not looked at: the command runs on this machine as it is. */
        IGNORE,
        /** The image must match one of the allowed patterns, else the job is refused with IMAGE_REJECTED. */
        ALLOWLIST
    }

    /** Every setting {@link #fromSettings} knows. */
    public static final Set<String> KEYS = Collections.unmodifiableSet(new TreeSet<>(Arrays.asList("cpu", "memory", "storage",
            "maxJobs", "imagePolicy", "allowedImages", "workDir", "defaultMaxRunTime", "killGracePeriod", "logLines",
            "maxLineLength", "inheritEnvironment", "retainedFinished")));

    private final int cpuMillis;
    private final Quantity memory;
    private final Quantity storage;
    private final int maxJobs;
    private final ImagePolicy imagePolicy;
    private final List<String> allowedImages;
    private final Path workDir;
    private final Duration defaultMaxRunTime;
    private final Duration killGracePeriod;
    private final int logLines;
    private final int maxLineLength;
    private final boolean inheritEnvironment;
    private final int retainedFinished;

    private ProcessProviderConfig(Builder b) {
        this.cpuMillis = b.cpuMillis != null ? b.cpuMillis : Runtime.getRuntime().availableProcessors() * 1000;
        this.memory = b.memory != null ? b.memory : physicalMemory();
        this.storage = b.storage;
        this.maxJobs = b.maxJobs != null ? b.maxJobs : 64;
        this.imagePolicy = b.imagePolicy != null ? b.imagePolicy : ImagePolicy.IGNORE;
        this.allowedImages = List.copyOf(b.allowedImages != null ? b.allowedImages : List.of());
        this.workDir = b.workDir;
        this.defaultMaxRunTime = b.defaultMaxRunTime;
        this.killGracePeriod = b.killGracePeriod != null ? b.killGracePeriod : Duration.ofSeconds(2);
        this.logLines = b.logLines != null ? b.logLines : 10_000;
        this.maxLineLength = b.maxLineLength != null ? b.maxLineLength : 8192;
        this.inheritEnvironment = b.inheritEnvironment != null && b.inheritEnvironment;
        this.retainedFinished = b.retainedFinished != null ? b.retainedFinished : 1000;
        if (imagePolicy == ImagePolicy.ALLOWLIST && allowedImages.isEmpty()) {
            throw new IllegalArgumentException("imagePolicy 'allowlist' needs at least one pattern in allowedImages");
        }
    }

    /** A new builder; every option may be set once. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: the machine's processors and memory, images ignored, a temporary work directory. */
    public static ProcessProviderConfig ofDefaults() {
        return builder().build();
    }

    /**
     * A configuration from an engine's string settings (see the class comment for the keys).
     *
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException naming the provider and the key when a key is unknown or a value invalid
     */
    public static ProcessProviderConfig fromSettings(ProviderId id, Map<String, String> settings) {
        Objects.requireNonNull(id, "id cannot be null");
        Objects.requireNonNull(settings, "settings cannot be null");
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("provider " + id + ": unknown setting '" + key + "' for type "
                        + ProcessProvider.TYPE + "; known: " + KEYS);
            }
        }
        Builder b = builder();
        Settings s = new Settings(id, settings);
        s.ifPresent("cpu", v -> b.cpuMillis(s.positiveInt("cpu", v)));
        s.ifPresent("memory", v -> b.memory(s.quantity("memory", v)));
        s.ifPresent("storage", v -> b.storage(s.quantity("storage", v)));
        s.ifPresent("maxJobs", v -> b.maxJobs(s.positiveInt("maxJobs", v)));
        s.ifPresent("imagePolicy", v -> b.imagePolicy(s.policy(v)));
        s.ifPresent("allowedImages", v -> b.allowedImages(s.list(v)));
        s.ifPresent("workDir", v -> b.workDir(s.path("workDir", v)));
        s.ifPresent("defaultMaxRunTime", v -> b.defaultMaxRunTime(s.duration("defaultMaxRunTime", v, false)));
        s.ifPresent("killGracePeriod", v -> b.killGracePeriod(s.duration("killGracePeriod", v, true)));
        s.ifPresent("logLines", v -> b.logLines(s.positiveInt("logLines", v)));
        s.ifPresent("maxLineLength", v -> b.maxLineLength(s.positiveInt("maxLineLength", v)));
        s.ifPresent("inheritEnvironment", v -> b.inheritEnvironment(s.bool("inheritEnvironment", v)));
        s.ifPresent("retainedFinished", v -> b.retainedFinished(s.nonNegativeInt("retainedFinished", v)));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider " + id + ": " + e.getMessage(), e);
        }
    }

    /** Millicores shared by running jobs, and the most one job may ask for. */
    public int cpuMillis() {
        return cpuMillis;
    }

    /** Memory shared by running jobs, and the most one job may ask for. */
    public Quantity memory() {
        return memory;
    }

    /** The most storage one job may ask for; empty for the size of the work directory's file system. */
    public Optional<Quantity> storage() {
        return Optional.ofNullable(storage);
    }

    /** Processes running at once. */
    public int maxJobs() {
        return maxJobs;
    }

    /** What is done with a job's image. */
    public ImagePolicy imagePolicy() {
        return imagePolicy;
    }

    /** The image patterns accepted under {@link ImagePolicy#ALLOWLIST}. */
    public List<String> allowedImages() {
        return allowedImages;
    }

    /** Where jobs get their directories; empty for a temporary directory of the provider's own. */
    public Optional<Path> workDir() {
        return Optional.ofNullable(workDir);
    }

    /** The max run time of a job whose spec sets none; empty for no limit. */
    public Optional<Duration> defaultMaxRunTime() {
        return Optional.ofNullable(defaultMaxRunTime);
    }

    /** Time between SIGTERM and SIGKILL. */
    public Duration killGracePeriod() {
        return killGracePeriod;
    }

    /** Log lines kept per job. */
    public int logLines() {
        return logLines;
    }

    /** Bytes per log line. */
    public int maxLineLength() {
        return maxLineLength;
    }

    /** Whether jobs see the host's environment. */
    public boolean inheritEnvironment() {
        return inheritEnvironment;
    }

    /** Finished jobs whose status and logs are kept. */
    public int retainedFinished() {
        return retainedFinished;
    }

    @Override
    public String toString() {
        return "ProcessProviderConfig{cpu=" + cpuMillis + "m, memory=" + memory + (storage != null ? ", storage=" + storage : "")
                + ", maxJobs=" + maxJobs + ", imagePolicy=" + imagePolicy.name().toLowerCase(Locale.ROOT)
                + (allowedImages.isEmpty() ? "" : ", allowedImages=" + allowedImages)
                + (workDir != null ? ", workDir=" + workDir : "")
                + (defaultMaxRunTime != null ? ", defaultMaxRunTime=" + defaultMaxRunTime : "")
                + ", killGracePeriod=" + killGracePeriod + ", logLines=" + logLines + ", maxLineLength=" + maxLineLength
                + ", inheritEnvironment=" + inheritEnvironment + ", retainedFinished=" + retainedFinished + "}";
    }

    private static Quantity physicalMemory() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                long bytes = os.getTotalMemorySize();
                if (bytes > 0) {
                    return Quantity.ofBytes(bytes);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // not a HotSpot-like JVM: fall back below
        }
        return Quantity.gibibytes(4);
    }

    /** Builds a {@link ProcessProviderConfig}; each option may be set once. */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private Integer cpuMillis;
        private Quantity memory;
        private Quantity storage;
        private Integer maxJobs;
        private ImagePolicy imagePolicy;
        private List<String> allowedImages;
        private Path workDir;
        private Duration defaultMaxRunTime;
        private Duration killGracePeriod;
        private Integer logLines;
        private Integer maxLineLength;
        private Boolean inheritEnvironment;
        private Integer retainedFinished;

        private Builder() {}

        private void once(String option, Object current) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }

        private static int atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
            }
            return value;
        }

        /**
         * Millicores shared by running jobs.
         *
         * @throws IllegalArgumentException when less than 1
         * @throws IllegalStateException when already set
         */
        public Builder cpuMillis(int value) {
            once("cpu", cpuMillis);
            this.cpuMillis = atLeast("cpu", value, 1);
            return this;
        }

        /**
         * Memory shared by running jobs.
         *
         * @throws NullPointerException when null
         * @throws IllegalArgumentException when zero
         * @throws IllegalStateException when already set
         */
        public Builder memory(Quantity value) {
            once("memory", memory);
            Objects.requireNonNull(value, "memory cannot be null");
            if (value.bytes() == 0) {
                throw new IllegalArgumentException("memory must be more than 0, got " + value);
            }
            this.memory = value;
            return this;
        }

        /**
         * The most storage one job may ask for.
         *
         * @throws NullPointerException when null
         * @throws IllegalStateException when already set
         */
        public Builder storage(Quantity value) {
            once("storage", storage);
            this.storage = Objects.requireNonNull(value, "storage cannot be null");
            return this;
        }

        /**
         * Processes running at once.
         *
         * @throws IllegalArgumentException when less than 1
         * @throws IllegalStateException when already set
         */
        public Builder maxJobs(int value) {
            once("maxJobs", maxJobs);
            this.maxJobs = atLeast("maxJobs", value, 1);
            return this;
        }

        /**
         * What is done with a job's image.
         *
         * @throws NullPointerException when null
         * @throws IllegalStateException when already set
         */
        public Builder imagePolicy(ImagePolicy value) {
            once("imagePolicy", imagePolicy);
            this.imagePolicy = Objects.requireNonNull(value, "imagePolicy cannot be null");
            return this;
        }

        /**
         * Image patterns accepted under {@link ImagePolicy#ALLOWLIST}; {@code *} matches anything.
         *
         * @throws NullPointerException when the list or a pattern is null
         * @throws IllegalArgumentException when a pattern is blank
         * @throws IllegalStateException when already set
         */
        public Builder allowedImages(List<String> patterns) {
            once("allowedImages", allowedImages);
            Objects.requireNonNull(patterns, "allowedImages cannot be null");
            List<String> copy = new ArrayList<>();
            for (String p : patterns) {
                Objects.requireNonNull(p, "allowedImages entry cannot be null");
                if (p.isBlank()) {
                    throw new IllegalArgumentException("allowedImages must not hold a blank pattern");
                }
                copy.add(p.trim());
            }
            this.allowedImages = copy;
            return this;
        }

        /**
         * Where jobs get their directories (created when missing).
         *
         * @throws NullPointerException when null
         * @throws IllegalStateException when already set
         */
        public Builder workDir(Path value) {
            once("workDir", workDir);
            this.workDir = Objects.requireNonNull(value, "workDir cannot be null");
            return this;
        }

        /**
         * The max run time of a job whose spec sets none.
         *
         * @throws NullPointerException when null
         * @throws IllegalArgumentException when not positive
         * @throws IllegalStateException when already set
         */
        public Builder defaultMaxRunTime(Duration value) {
            once("defaultMaxRunTime", defaultMaxRunTime);
            Objects.requireNonNull(value, "defaultMaxRunTime cannot be null");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("defaultMaxRunTime must be positive, got " + value);
            }
            this.defaultMaxRunTime = value;
            return this;
        }

        /**
         * Time between SIGTERM and SIGKILL; zero kills at once.
         *
         * @throws NullPointerException when null
         * @throws IllegalArgumentException when negative
         * @throws IllegalStateException when already set
         */
        public Builder killGracePeriod(Duration value) {
            once("killGracePeriod", killGracePeriod);
            Objects.requireNonNull(value, "killGracePeriod cannot be null");
            if (value.isNegative()) {
                throw new IllegalArgumentException("killGracePeriod must not be negative, got " + value);
            }
            this.killGracePeriod = value;
            return this;
        }

        /**
         * Log lines kept per job.
         *
         * @throws IllegalArgumentException when less than 1
         * @throws IllegalStateException when already set
         */
        public Builder logLines(int value) {
            once("logLines", logLines);
            this.logLines = atLeast("logLines", value, 1);
            return this;
        }

        /**
         * Bytes per log line.
         *
         * @throws IllegalArgumentException when less than 16
         * @throws IllegalStateException when already set
         */
        public Builder maxLineLength(int value) {
            once("maxLineLength", maxLineLength);
            this.maxLineLength = atLeast("maxLineLength", value, 16);
            return this;
        }

        /**
         * Whether jobs see the host's environment.
         *
         * @throws IllegalStateException when already set
         */
        public Builder inheritEnvironment(boolean value) {
            once("inheritEnvironment", inheritEnvironment);
            this.inheritEnvironment = value;
            return this;
        }

        /**
         * Finished jobs whose status and logs are kept.
         *
         * @throws IllegalArgumentException when negative
         * @throws IllegalStateException when already set
         */
        public Builder retainedFinished(int value) {
            once("retainedFinished", retainedFinished);
            this.retainedFinished = atLeast("retainedFinished", value, 0);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException when the image policy is {@code allowlist} without patterns
         */
        public ProcessProviderConfig build() {
            return new ProcessProviderConfig(this);
        }
    }

    /** Parses string settings, naming the provider and the key in every error. */
    private static final class Settings {
        private final ProviderId id;
        private final Map<String, String> values;

        Settings(ProviderId id, Map<String, String> values) {
            this.id = id;
            this.values = values;
        }

        void ifPresent(String key, java.util.function.Consumer<String> action) {
            String v = values.get(key);
            if (v != null) {
                try {
                    action.accept(v.trim());
                } catch (IllegalArgumentException e) {
                    String m = e.getMessage();
                    throw new IllegalArgumentException(m.startsWith("provider ") ? m : "provider " + id + ": setting '" + key + "': " + m, e);
                }
            }
        }

        private IllegalArgumentException bad(String key, String value, String rule) {
            return new IllegalArgumentException("provider " + id + ": setting '" + key + "' must be " + rule + ", got '" + value + "'");
        }

        int positiveInt(String key, String v) {
            int n = integer(key, v, "a positive integer");
            if (n < 1) {
                throw bad(key, v, "a positive integer");
            }
            return n;
        }

        int nonNegativeInt(String key, String v) {
            int n = integer(key, v, "a non-negative integer");
            if (n < 0) {
                throw bad(key, v, "a non-negative integer");
            }
            return n;
        }

        private int integer(String key, String v, String rule) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw bad(key, v, rule);
            }
        }

        Quantity quantity(String key, String v) {
            Quantity q;
            try {
                q = Quantity.parse(key, v);
            } catch (IllegalArgumentException e) {
                throw bad(key, v, "a quantity like 512Mi, 8Gi or 10G");
            }
            if (q.bytes() == 0) {
                throw bad(key, v, "more than 0");
            }
            return q;
        }

        ImagePolicy policy(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "ignore" -> ImagePolicy.IGNORE;
                case "allowlist", "allow-list" -> ImagePolicy.ALLOWLIST;
                default -> throw bad("imagePolicy", v, "'ignore' or 'allowlist'");
            };
        }

        List<String> list(String v) {
            List<String> out = new ArrayList<>();
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }

        Path path(String key, String v) {
            if (v.isEmpty()) {
                throw bad(key, v, "a directory path");
            }
            try {
                return Path.of(v);
            } catch (InvalidPathException e) {
                throw bad(key, v, "a valid directory path");
            }
        }

        Duration duration(String key, String v, boolean zeroAllowed) {
            String rule = (zeroAllowed ? "a non-negative" : "a positive") + " ISO-8601 duration like PT30S, or milliseconds";
            Duration d;
            try {
                d = v.matches("[0-9]+") ? Duration.ofMillis(Long.parseLong(v)) : Duration.parse(v);
            } catch (DateTimeParseException | NumberFormatException e) {
                throw bad(key, v, rule);
            }
            if (d.isNegative() || (!zeroAllowed && d.isZero())) {
                throw bad(key, v, rule);
            }
            return d;
        }

        boolean bool(String key, String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw bad(key, v, "true or false");
            };
        }
    }
}
