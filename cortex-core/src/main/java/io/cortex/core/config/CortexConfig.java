package io.cortex.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.core.Cortex;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderFactories;
import io.cortex.core.provider.ProviderFactory;
import io.cortex.core.provider.ProviderId;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The providers of an engine, read from a configuration file or map, to add to a
 * {@link Cortex.Builder}. Each provider has an id, a plugin type, settings for the plugin, and
 * credentials that are never written inline: each is {@code env:VARIABLE} or {@code file:/path}.
 *
 * <p>Java properties (or a flat map with the same keys):
 * <pre>
 * providers = local, acme                       # optional: the order; else ids in alphabetical order
 * providers.local.type = process
 * providers.local.config.cpu = 4000
 * providers.local.config.memory = 8Gi
 * providers.acme.type = acme
 * providers.acme.config.endpoint = https://api.acme.example
 * providers.acme.credentials.apiKey = env:ACME_KEY
 * providers.acme.credentials.secret = file:/run/secrets/acme
 * </pre>
 *
 * <p>JSON:
 * <pre>{@code
 * {"providers": [
 *   {"id": "local", "type": "process", "config": {"cpu": 4000, "memory": "8Gi"}},
 *   {"id": "acme", "type": "acme", "config": {"endpoint": "https://api.acme.example"},
 *    "credentials": {"apiKey": "env:ACME_KEY", "secret": "file:/run/secrets/acme"}}
 * ]}
 * }</pre>
 *
 * <p>Then {@code CortexConfig.fromProperties(path).applyTo(Cortex.builder()).build()}.
 *
 * <p>Rules, each broken one an error naming the source, the entry and the key: an id is a valid
 * {@link ProviderId} and unique; a type is given; a setting is a string, number or boolean; a
 * credential is a reference, never the secret itself; a setting whose name says it is a secret
 * ({@code password}, {@code apiKey}, {@code token}, {@code secret}, {@code privateKey}…) belongs in
 * {@code credentials}; unknown keys are refused. In properties an id cannot contain a dot (use JSON
 * for such ids). A relative {@code file:} path is resolved against the configuration file's directory.
 * Secrets are read when the configuration is applied, and never appear in a message.
 */
public final class CortexConfig {
    private static final String PREFIX = "providers.";
    private static final Set<String> ENTRY_FIELDS = Set.of("id", "type", "config", "credentials");
    private static final List<String> SECRET_SUFFIXES = List.of("password", "passwd", "secret", "apikey", "token",
            "privatekey", "secretkey", "accesskey", "passphrase");

    private final String source;
    private final Path baseDirectory;
    private final List<ProviderConfig> providers;

    private CortexConfig(String source, Path baseDirectory, List<ProviderConfig> providers) {
        this.source = source;
        this.baseDirectory = baseDirectory;
        this.providers = List.copyOf(providers);
    }

    // ---- reading -------------------------------------------------------------------------------

    /**
     * Reads a Java properties file (UTF-8).
     *
     * @throws NullPointerException when {@code file} is null
     * @throws CortexConfigException when the file cannot be read or the configuration is invalid
     */
    public static CortexConfig fromProperties(Path file) {
        Objects.requireNonNull(file, "file cannot be null");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new CortexConfigException(file.toString(), null, null, "cannot be read as a properties file: " + e, e);
        }
        return fromFlat(file.toString(), directoryOf(file), toMap(properties));
    }

    /**
     * Reads properties already loaded.
     *
     * @throws NullPointerException when {@code properties} is null
     * @throws CortexConfigException when the configuration is invalid
     */
    public static CortexConfig fromProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties cannot be null");
        return fromFlat("(properties)", null, toMap(properties));
    }

    /**
     * Reads a flat map with the keys of the properties format, e.g. {@code providers.local.type}.
     *
     * @throws NullPointerException when the map, a key or a value is null
     * @throws CortexConfigException when the configuration is invalid
     */
    public static CortexConfig fromMap(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings cannot be null");
        Map<String, String> copy = new TreeMap<>();
        settings.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key cannot be null"),
                Objects.requireNonNull(v, "value of '" + k + "' cannot be null")));
        return fromFlat("(map)", null, copy);
    }

    /**
     * Reads a JSON file (UTF-8).
     *
     * @throws NullPointerException when {@code file} is null
     * @throws CortexConfigException when the file cannot be read, is not JSON, or the configuration is invalid
     */
    public static CortexConfig fromJson(Path file) {
        Objects.requireNonNull(file, "file cannot be null");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CortexConfigException(file.toString(), null, null, "cannot be read: " + e, e);
        }
        return fromJson(file.toString(), directoryOf(file), text);
    }

    /**
     * Reads JSON text.
     *
     * @throws NullPointerException when {@code json} is null
     * @throws CortexConfigException when the text is not JSON or the configuration is invalid
     */
    public static CortexConfig fromJson(String json) {
        Objects.requireNonNull(json, "json cannot be null");
        return fromJson("(json)", null, json);
    }

    // ---- what was read -------------------------------------------------------------------------

    /** The providers, in order. */
    public List<ProviderConfig> providers() {
        return providers;
    }

    /**
     * The provider with {@code id}, if configured.
     *
     * @throws NullPointerException when {@code id} is null
     */
    public Optional<ProviderConfig> provider(String id) {
        Objects.requireNonNull(id, "id cannot be null");
        return providers.stream().filter(p -> p.id().value().equals(id)).findFirst();
    }

    /** Where the configuration came from: a file name, or {@code (properties)}, {@code (map)}, {@code (json)}. */
    public String source() {
        return source;
    }

    // ---- applying ------------------------------------------------------------------------------

    /**
     * Adds every provider to {@code builder}, with the factories found on the class path and secrets
     * read from the process environment and files.
     *
     * @return {@code builder}
     * @throws NullPointerException when {@code builder} is null
     * @throws CortexConfigException when a type is unknown or a secret cannot be read; a factory's
     *     refusal of the settings is reported the same way by {@link Cortex.Builder#build()}
     */
    public Cortex.Builder applyTo(Cortex.Builder builder) {
        return applyTo(builder, ProviderFactories.discover(), System::getenv);
    }

    /**
     * Adds every provider to {@code builder}, creating them with {@code factories} and reading
     * {@code env:} references with {@code environment} (a name → value lookup returning null when
     * unset; inject it in tests).
     *
     * @return {@code builder}
     * @throws NullPointerException when an argument is null
     * @throws CortexConfigException when a type is unknown or a secret cannot be read; a factory's
     *     refusal of the settings is reported the same way by {@link Cortex.Builder#build()}
     */
    public Cortex.Builder applyTo(Cortex.Builder builder, ProviderFactories factories, Function<String, String> environment) {
        Objects.requireNonNull(builder, "builder cannot be null");
        Objects.requireNonNull(factories, "factories cannot be null");
        Objects.requireNonNull(environment, "environment cannot be null");
        List<Runnable> additions = new ArrayList<>();
        for (ProviderConfig p : providers) {
            String entry = p.id().value();
            ProviderFactory factory;
            try {
                factory = factories.find(p.type());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CortexConfigException(source, entry, "type", e.getMessage(), e);
            }
            Credentials credentials = credentials(p, environment);
            additions.add(() -> builder.provider(entry, ctx -> create(factory, p, credentials, ctx)));
        }
        additions.forEach(Runnable::run); // only once every entry is known to be good
        return builder;
    }

    /**
     * Reads the credentials of one provider: each reference resolved, trailing line breaks of files
     * removed.
     *
     * @throws NullPointerException when an argument is null
     * @throws CortexConfigException naming the entry and the key when a variable is unset or empty, or a
     *     file cannot be read or is empty
     */
    public Credentials credentials(ProviderConfig provider, Function<String, String> environment) {
        Objects.requireNonNull(provider, "provider cannot be null");
        Objects.requireNonNull(environment, "environment cannot be null");
        Map<String, String> values = new LinkedHashMap<>();
        provider.credentials().forEach((name, ref) -> values.put(name, resolve(provider.id().value(), name, ref, environment)));
        return values.isEmpty() ? Credentials.NONE : Credentials.of(values);
    }

    private String resolve(String entry, String name, SecretRef ref, Function<String, String> environment) {
        String key = "credentials." + name;
        if (ref.kind() == SecretRef.Kind.ENV) {
            String value = environment.apply(ref.target());
            if (value == null) {
                throw new CortexConfigException(source, entry, key, "environment variable " + ref.target() + " is not set");
            }
            if (value.isEmpty()) {
                throw new CortexConfigException(source, entry, key, "environment variable " + ref.target() + " is empty");
            }
            return value;
        }
        Path file;
        try {
            file = Path.of(ref.target());
        } catch (InvalidPathException e) {
            throw new CortexConfigException(source, entry, key, "'" + ref.target() + "' is not a valid file path");
        }
        if (!file.isAbsolute() && baseDirectory != null) {
            file = baseDirectory.resolve(file);
        }
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CortexConfigException(source, entry, key, "secret file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        value = value.replaceAll("[\\r\\n]+$", "");
        if (value.isEmpty()) {
            throw new CortexConfigException(source, entry, key, "secret file " + file + " is empty");
        }
        return value;
    }

    private ComputeProvider create(ProviderFactory factory, ProviderConfig p, Credentials credentials, ProviderContext engine) {
        ProviderContext context = new ProviderContext(engine.id(), p.config(), credentials, engine.clock(), engine.updates());
        try {
            ComputeProvider made = factory.create(context);
            if (made == null) {
                throw new CortexConfigException(source, p.id().value(), "type",
                        "factory " + factory.getClass().getName() + " returned no provider");
            }
            return made;
        } catch (CortexConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CortexConfigException(source, p.id().value(), "config", e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("CortexConfig{source=").append(source).append(", providers=[");
        for (int i = 0; i < providers.size(); i++) {
            ProviderConfig p = providers.get(i);
            b.append(i == 0 ? "" : ", ").append(p.id()).append(" (").append(p.type()).append(", config ")
                    .append(p.config().keySet()).append(", credentials ").append(p.credentials()).append(")");
        }
        return b.append("]}").toString();
    }

    // ---- properties ----------------------------------------------------------------------------

    private static Map<String, String> toMap(Properties properties) {
        Map<String, String> out = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            out.put(name, properties.getProperty(name));
        }
        return out;
    }

    private static CortexConfig fromFlat(String source, Path base, Map<String, String> flat) {
        Map<String, Map<String, String>> entries = new TreeMap<>();
        List<String> order = null;
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String key = e.getKey().trim();
            if (key.equals("providers")) {
                order = splitList(e.getValue());
                continue;
            }
            if (!key.startsWith(PREFIX)) {
                throw new CortexConfigException(source, null, key, "unknown key; provider entries are written providers.<id>.type, "
                        + "providers.<id>.config.<setting> and providers.<id>.credentials.<name>");
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                throw new CortexConfigException(source, rest.isEmpty() ? null : rest, key,
                        "incomplete key; write providers.<id>.type, providers.<id>.config.<setting> or providers.<id>.credentials.<name>");
            }
            entries.computeIfAbsent(rest.substring(0, dot), id -> new LinkedHashMap<>()).put(rest.substring(dot + 1), e.getValue());
        }
        List<String> ids = new ArrayList<>(entries.keySet());
        if (order != null) {
            Set<String> listed = new LinkedHashSet<>();
            for (String id : order) {
                if (!listed.add(id)) {
                    throw new CortexConfigException(source, id, null, "is listed twice in 'providers'");
                }
                if (!entries.containsKey(id)) {
                    throw new CortexConfigException(source, id, "type", "is listed in 'providers' but providers." + id + ".type is missing");
                }
            }
            for (String id : ids) {
                if (!listed.contains(id)) {
                    throw new CortexConfigException(source, id, null, "is configured but missing from the list in 'providers' "
                            + order + "; add it there or remove its keys");
                }
            }
            ids = new ArrayList<>(listed);
        }
        List<ProviderConfig> providers = new ArrayList<>();
        for (String id : ids) {
            providers.add(flatEntry(source, id, entries.get(id)));
        }
        return new CortexConfig(source, base, providers);
    }

    private static ProviderConfig flatEntry(String source, String entry, Map<String, String> keys) {
        ProviderId id = providerId(source, entry, entry);
        String type = null;
        Map<String, String> config = new TreeMap<>();
        Map<String, SecretRef> credentials = new TreeMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            if (key.equals("type")) {
                type = e.getValue().trim();
            } else if (key.startsWith("config.") && key.length() > "config.".length()) {
                String name = key.substring("config.".length());
                config.put(name, setting(source, entry, name, e.getValue()));
            } else if (key.startsWith("credentials.") && key.length() > "credentials.".length()) {
                String name = key.substring("credentials.".length());
                credentials.put(name, secretRef(source, entry, name, e.getValue()));
            } else {
                throw new CortexConfigException(source, entry, key, "unknown key; expected type, config.<setting> or "
                        + "credentials.<name> (a provider id cannot contain a dot in properties; use JSON for such ids)");
            }
        }
        return new ProviderConfig(id, requireType(source, entry, type), config, credentials);
    }

    private static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    // ---- JSON ----------------------------------------------------------------------------------

    private static CortexConfig fromJson(String source, Path base, String json) {
        ObjectMapper mapper = new ObjectMapper();
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CortexConfigException(source, null, null, "is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() : ""));
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new CortexConfigException(source, null, null, "must be a JSON object like {\"providers\": [ … ]}");
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (!name.equals("providers")) {
                throw new CortexConfigException(source, null, name, "unknown key; the only top-level key is 'providers'");
            }
        }
        JsonNode list = root.get("providers");
        if (list == null || list.isNull()) {
            return new CortexConfig(source, base, List.of());
        }
        if (!list.isArray()) {
            throw new CortexConfigException(source, null, "providers", "must be an array of provider entries");
        }
        List<ProviderConfig> providers = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < list.size(); i++) {
            ProviderConfig p = jsonEntry(source, "providers[" + i + "]", list.get(i));
            if (!seen.add(p.id().value())) {
                throw new CortexConfigException(source, p.id().value(), "id", "two entries have this id (the second is providers["
                        + i + "])");
            }
            providers.add(p);
        }
        return new CortexConfig(source, base, providers);
    }

    private static ProviderConfig jsonEntry(String source, String position, JsonNode node) {
        if (!node.isObject()) {
            throw new CortexConfigException(source, position, null, "must be an object with id, type, config and credentials");
        }
        JsonNode idNode = node.get("id");
        if (idNode == null || !idNode.isTextual()) {
            throw new CortexConfigException(source, position, "id", "is required and must be a string");
        }
        String entry = idNode.asText();
        ProviderId id = providerId(source, position, entry);
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!ENTRY_FIELDS.contains(name)) {
                throw new CortexConfigException(source, entry, name, "unknown key; expected " + new TreeSet<>(ENTRY_FIELDS));
            }
        }
        JsonNode typeNode = node.get("type");
        if (typeNode != null && !typeNode.isTextual()) {
            throw new CortexConfigException(source, entry, "type", "must be a string");
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(source, entry, "config", node.get("config"))) {
            JsonNode v = e.getValue();
            String text;
            if (v.isTextual()) {
                text = v.asText();
            } else if (v.isIntegralNumber()) {
                text = v.bigIntegerValue().toString();
            } else if (v.isNumber()) {
                text = v.decimalValue().toPlainString();
            } else if (v.isBoolean()) {
                text = Boolean.toString(v.booleanValue());
            } else {
                throw new CortexConfigException(source, entry, "config." + e.getKey(), "must be a string, number or boolean");
            }
            config.put(e.getKey(), setting(source, entry, e.getKey(), text));
        }
        Map<String, SecretRef> credentials = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(source, entry, "credentials", node.get("credentials"))) {
            if (!e.getValue().isTextual()) {
                throw new CortexConfigException(source, entry, "credentials." + e.getKey(),
                        "must be a string: env:VARIABLE or file:/path/to/secret");
            }
            credentials.put(e.getKey(), secretRef(source, entry, e.getKey(), e.getValue().asText()));
        }
        return new ProviderConfig(id, requireType(source, entry, typeNode == null ? null : typeNode.asText().trim()), config,
                credentials);
    }

    private static List<Map.Entry<String, JsonNode>> fields(String source, String entry, String key, JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new CortexConfigException(source, entry, key, "must be an object of name → value");
        }
        return List.copyOf(node.properties());
    }

    // ---- shared checks -------------------------------------------------------------------------

    private static ProviderId providerId(String source, String entry, String value) {
        try {
            return ProviderId.of(value);
        } catch (IllegalArgumentException e) {
            throw new CortexConfigException(source, entry, "id", e.getMessage());
        }
    }

    private static String requireType(String source, String entry, String type) {
        if (type == null || type.isEmpty()) {
            throw new CortexConfigException(source, entry, "type", "is required: the provider plugin's type, e.g. process");
        }
        return type;
    }

    private static String setting(String source, String entry, String name, String value) {
        String normalized = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (String suffix : SECRET_SUFFIXES) {
            if (normalized.endsWith(suffix)) {
                throw new CortexConfigException(source, entry, "config." + name, "looks like a secret and settings are not "
                        + "secret; move it to credentials." + name + " and write env:VARIABLE or file:/path/to/secret there");
            }
        }
        return value;
    }

    private static SecretRef secretRef(String source, String entry, String name, String value) {
        try {
            return SecretRef.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CortexConfigException(source, entry, "credentials." + name, e.getMessage());
        }
    }

    private static Path directoryOf(Path file) {
        return file.toAbsolutePath().getParent();
    }
}
