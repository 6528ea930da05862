package io.cortex.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cortex.core.Cortex;
import io.cortex.core.job.JobSpec;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderFactories;
import io.cortex.core.provider.ProviderFactory;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.RemoteStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CortexConfigTest {
    private static final String SECRET = "s3cr3t-value-never-printed";

    @TempDir
    Path dir;

    private final RecordingFactory fake = new RecordingFactory("fake");
    private final Map<String, String> environment = Map.of("ACME_KEY", SECRET, "EMPTY", "");
    private final Function<String, String> env = environment::get;

    // ---- reading and applying --------------------------------------------------------------------

    @Test
    void propertiesFileListsProvidersWithSettingsAndCredentialsFromEnvironmentAndFiles() throws IOException {
        Files.writeString(dir.resolve("acme.secret"), "file-secret\n");
        Path file = Files.writeString(dir.resolve("cortex.properties"), String.join("\n",
                "providers = beta, alpha",
                "providers.alpha.type = fake",
                "providers.alpha.config.cpu = 4000",
                "providers.alpha.config.tokenUrl = https://auth.example/token/url",
                "providers.beta.type = fake",
                "providers.beta.credentials.apiKey = env:ACME_KEY",
                "providers.beta.credentials.secret = file:acme.secret",
                ""));

        CortexConfig config = CortexConfig.fromProperties(file);
        try (Cortex cortex = config.applyTo(Cortex.builder().manual(), ProviderFactories.of(fake), env).build()) {
            assertThat(cortex.providers()).extracting(p -> p.id().value()).containsExactlyInAnyOrder("alpha", "beta");
        }

        assertThat(config.providers()).extracting(p -> p.id().value()).containsExactly("beta", "alpha");
        assertThat(fake.contexts.get("alpha").config()).isEqualTo(Map.of("cpu", "4000", "tokenUrl", "https://auth.example/token/url"));
        assertThat(fake.contexts.get("alpha").credentials()).isEqualTo(Credentials.NONE);
        assertThat(fake.contexts.get("beta").credentials().values()).isEqualTo(Map.of("apiKey", SECRET, "secret", "file-secret"));
    }

    @Test
    void propertiesWithoutAnOrderListTheProvidersById() {
        Properties properties = new Properties();
        properties.setProperty("providers.zeta.type", "fake");
        properties.setProperty("providers.eta.type", "fake");

        assertThat(CortexConfig.fromProperties(properties).providers()).extracting(p -> p.id().value()).containsExactly("eta", "zeta");
    }

    @Test
    void jsonListsProvidersInOrderWithNumbersAndBooleansAsText() {
        CortexConfig config = CortexConfig.fromJson("""
                {"providers": [
                  {"id": "local", "type": "fake", "config": {"cpu": 4000, "ratio": 0.1, "debug": true, "memory": "8Gi"}},
                  {"id": "acme", "type": "fake", "credentials": {"apiKey": "env:ACME_KEY"}}
                ]}
                """);

        try (Cortex cortex = config.applyTo(Cortex.builder().manual(), ProviderFactories.of(fake), env).build()) {
            assertThat(cortex.providers()).hasSize(2);
        }

        assertThat(config.providers()).extracting(p -> p.id().value()).containsExactly("local", "acme");
        assertThat(fake.contexts.get("local").config()).isEqualTo(Map.of("cpu", "4000", "ratio", "0.1", "debug", "true", "memory", "8Gi"));
        assertThat(fake.contexts.get("acme").credentials().get("apiKey")).contains(SECRET);
    }

    @Test
    void jsonFileResolvesRelativeSecretFilesAgainstItsDirectory() throws IOException {
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/key"), "from-file\r\n");
        Path file = Files.writeString(dir.resolve("cortex.json"),
                "{\"providers\":[{\"id\":\"a\",\"type\":\"fake\",\"credentials\":{\"key\":\"file:secrets/key\"}}]}");

        CortexConfig config = CortexConfig.fromJson(file);

        assertThat(config.credentials(config.provider("a").orElseThrow(), env).get("key")).contains("from-file");
        assertThat(config.source()).isEqualTo(file.toString());
    }

    @Test
    void flatMapUsesThePropertiesKeys() {
        CortexConfig config = CortexConfig.fromMap(Map.of("providers.local.type", "fake", "providers.local.config.maxJobs", "2"));

        assertThat(config.providers()).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo("fake");
            assertThat(p.config()).containsEntry("maxJobs", "2");
        });
    }

    @Test
    void toStringShowsReferencesButNeverSecretsOrSettingValues() {
        CortexConfig config = CortexConfig.fromMap(Map.of("providers.acme.type", "fake",
                "providers.acme.credentials.apiKey", "env:ACME_KEY", "providers.acme.config.endpoint", "https://internal.example"));

        assertThat(config.toString()).contains("acme", "env:ACME_KEY", "endpoint").doesNotContain(SECRET, "internal.example");
    }

    // ---- secrets ---------------------------------------------------------------------------------

    @Test
    void inlineSecretIsRefusedWithoutRepeatingItAndExplainsEnvAndFile() {
        CortexConfigException e = catchThrowableOfType(CortexConfigException.class, () -> CortexConfig.fromMap(
                Map.of("providers.acme.type", "fake", "providers.acme.credentials.apiKey", SECRET)));

        assertThat(e.entry()).contains("acme");
        assertThat(e.key()).contains("credentials.apiKey");
        assertThat(e.getMessage()).contains("'acme'", "'credentials.apiKey'", "env:", "file:").doesNotContain(SECRET);
    }

    @Test
    void inlineSecretInJsonIsRefusedToo() {
        assertThatThrownBy(() -> CortexConfig.fromJson(
                "{\"providers\":[{\"id\":\"acme\",\"type\":\"fake\",\"credentials\":{\"token\":\"" + SECRET + "\"}}]}"))
                .isInstanceOf(CortexConfigException.class)
                .hasMessageContaining("'credentials.token'").hasMessageContaining("env:VARIABLE")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void settingNamedLikeASecretMustMoveToCredentials() {
        assertThatThrownBy(() -> CortexConfig.fromMap(Map.of("providers.acme.type", "fake", "providers.acme.config.api_key", SECRET)))
                .isInstanceOf(CortexConfigException.class)
                .hasMessageContaining("'config.api_key'").hasMessageContaining("credentials.api_key").hasMessageNotContaining(SECRET);
    }

    @Test
    void unsetOrEmptyEnvironmentVariableNamesEntryKeyAndVariable() {
        CortexConfig unset = CortexConfig.fromMap(Map.of("providers.acme.type", "fake", "providers.acme.credentials.apiKey", "env:NOPE"));
        CortexConfig empty = CortexConfig.fromMap(Map.of("providers.acme.type", "fake", "providers.acme.credentials.apiKey", "env:EMPTY"));

        assertThatThrownBy(() -> unset.applyTo(Cortex.builder().manual(), ProviderFactories.of(fake), env))
                .isInstanceOf(CortexConfigException.class)
                .hasMessage("cortex configuration (map): provider entry 'acme', key 'credentials.apiKey': environment variable NOPE is not set");
        assertThatThrownBy(() -> empty.applyTo(Cortex.builder().manual(), ProviderFactories.of(fake), env))
                .hasMessageContaining("'credentials.apiKey'").hasMessageContaining("EMPTY is empty");
        assertThat(fake.contexts).isEmpty();
    }

    @Test
    void missingOrEmptySecretFileNamesEntryKeyAndFile() throws IOException {
        Path emptyFile = Files.writeString(dir.resolve("empty"), "\n");
        CortexConfig missing = CortexConfig.fromMap(Map.of("providers.acme.type", "fake",
                "providers.acme.credentials.secret", "file:" + dir.resolve("absent")));
        CortexConfig empty = CortexConfig.fromMap(Map.of("providers.acme.type", "fake",
                "providers.acme.credentials.secret", "file:" + emptyFile));

        assertThatThrownBy(() -> missing.credentials(missing.providers().get(0), env))
                .hasMessageContaining("'acme'").hasMessageContaining("'credentials.secret'").hasMessageContaining("absent")
                .hasMessageContaining("NoSuchFileException");
        assertThatThrownBy(() -> empty.credentials(empty.providers().get(0), env)).hasMessageContaining("is empty");
    }

    // ---- structure errors ------------------------------------------------------------------------

    @Test
    void unknownTypeNamesTheEntryAndListsKnownTypes() {
        CortexConfig config = CortexConfig.fromMap(Map.of("providers.gpu.type", "kubernetes"));

        CortexConfigException e = catchThrowableOfType(CortexConfigException.class,
                () -> config.applyTo(Cortex.builder().manual(), ProviderFactories.of(fake), env));

        assertThat(e.entry()).contains("gpu");
        assertThat(e.key()).contains("type");
        assertThat(e.getMessage()).contains("'kubernetes'", "fake");
    }

    @Test
    void settingsTheFactoryRefusesAreReportedAtBuildNamingTheEntry() {
        CortexConfig config = CortexConfig.fromMap(Map.of("providers.local.type", "fake", "providers.local.config.bad", "1"));
        Cortex.Builder builder = config.applyTo(Cortex.builder().manual(), ProviderFactories.of(fake), env);

        assertThatThrownBy(builder::build).isInstanceOf(CortexConfigException.class)
                .hasMessageContaining("provider entry 'local', key 'config'").hasMessageContaining("unknown setting 'bad'");
    }

    static Stream<Arguments> invalidJson() {
        return Stream.of(
                Arguments.of("not json", "{\"providers\": [", null, null, "not valid JSON"),
                Arguments.of("not an object", "[1]", null, null, "must be a JSON object"),
                Arguments.of("unknown top-level key", "{\"provider\": []}", null, "provider", "unknown key"),
                Arguments.of("providers not an array", "{\"providers\": {}}", null, "providers", "array"),
                Arguments.of("entry not an object", "{\"providers\": [1]}", "providers[0]", null, "must be an object"),
                Arguments.of("missing id", "{\"providers\": [{\"type\": \"fake\"}]}", "providers[0]", "id", "required"),
                Arguments.of("malformed id", "{\"providers\": [{\"id\": \"Bad Id\", \"type\": \"fake\"}]}", "providers[0]", "id",
                        "must be 1 to 64"),
                Arguments.of("missing type", "{\"providers\": [{\"id\": \"a\"}]}", "a", "type", "required"),
                Arguments.of("type not a string", "{\"providers\": [{\"id\": \"a\", \"type\": 3}]}", "a", "type", "string"),
                Arguments.of("unknown entry key", "{\"providers\": [{\"id\": \"a\", \"type\": \"fake\", \"settings\": {}}]}", "a",
                        "settings", "unknown key"),
                Arguments.of("config value an object", "{\"providers\": [{\"id\": \"a\", \"type\": \"fake\", \"config\": {\"x\": {}}}]}",
                        "a", "config.x", "string, number or boolean"),
                Arguments.of("credential not a string",
                        "{\"providers\": [{\"id\": \"a\", \"type\": \"fake\", \"credentials\": {\"k\": 1}}]}", "a", "credentials.k",
                        "env:VARIABLE"),
                Arguments.of("bad env name",
                        "{\"providers\": [{\"id\": \"a\", \"type\": \"fake\", \"credentials\": {\"k\": \"env:1X\"}}]}", "a",
                        "credentials.k", "must match"),
                Arguments.of("duplicate id", "{\"providers\": [{\"id\": \"a\", \"type\": \"fake\"}, {\"id\": \"a\", \"type\": \"fake\"}]}",
                        "a", "id", "providers[1]"),
                Arguments.of("duplicate key", "{\"providers\": [{\"id\": \"a\", \"type\": \"fake\", \"type\": \"other\"}]}", null, null,
                        "Duplicate field 'type'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidJson")
    void invalidJsonIsRefusedNamingEntryAndKey(String why, String json, String entry, String key, String problem) {
        CortexConfigException e = catchThrowableOfType(CortexConfigException.class, () -> CortexConfig.fromJson(json));

        assertThat(e).as(why).isNotNull();
        assertThat(e.entry()).as("entry of: %s", e.getMessage()).isEqualTo(Optional.ofNullable(entry));
        assertThat(e.key()).as("key of: %s", e.getMessage()).isEqualTo(Optional.ofNullable(key));
        assertThat(e.getMessage()).contains(problem).startsWith("cortex configuration (json): ");
    }

    static Stream<Arguments> invalidProperties() {
        return Stream.of(
                Arguments.of(Map.of("engine.threads", "4"), null, "engine.threads", "unknown key"),
                Arguments.of(Map.of("providers.a", "fake"), "a", "providers.a", "incomplete key"),
                Arguments.of(Map.of("providers.a.kind", "fake"), "a", "kind", "unknown key"),
                Arguments.of(Map.of("providers.my.id.type", "fake"), "my", "id.type", "cannot contain a dot"),
                Arguments.of(Map.of("providers.a.config.x", "1"), "a", "type", "required"),
                Arguments.of(Map.of("providers.A.type", "fake"), "A", "id", "must be 1 to 64"),
                Arguments.of(Map.of("providers", "a, b", "providers.a.type", "fake"), "b", "type", "listed in 'providers'"),
                Arguments.of(Map.of("providers", "a", "providers.a.type", "fake", "providers.c.type", "fake"), "c", null,
                        "missing from the list"),
                Arguments.of(Map.of("providers", "a, a", "providers.a.type", "fake"), "a", null, "listed twice"));
    }

    @ParameterizedTest
    @MethodSource("invalidProperties")
    void invalidPropertiesAreRefusedNamingEntryAndKey(Map<String, String> settings, String entry, String key, String problem) {
        CortexConfigException e = catchThrowableOfType(CortexConfigException.class, () -> CortexConfig.fromMap(settings));

        assertThat(e).as("error for %s", settings).isNotNull();
        assertThat(e.entry()).as("entry of: %s", e.getMessage()).isEqualTo(Optional.ofNullable(entry));
        assertThat(e.key()).as("key of: %s", e.getMessage()).isEqualTo(Optional.ofNullable(key));
        assertThat(e.getMessage()).contains(problem);
    }

    @Test
    void unreadableFileIsAClearError() {
        Path absent = dir.resolve("absent.properties");

        assertThatThrownBy(() -> CortexConfig.fromProperties(absent)).isInstanceOf(CortexConfigException.class)
                .hasMessageContaining(absent.toString()).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> CortexConfig.fromJson(absent)).isInstanceOf(CortexConfigException.class)
                .hasMessageContaining("cannot be read");
    }

    @Test
    void secretReferencesParseAndPrintAsWritten() {
        assertThat(SecretRef.parse(" env:ACME_KEY ")).isEqualTo(SecretRef.env("ACME_KEY"));
        assertThat(SecretRef.parse("file:/run/secrets/acme")).hasToString("file:/run/secrets/acme");
        assertThatThrownBy(() -> SecretRef.parse("file:")).hasMessageContaining("path");
        assertThatThrownBy(() -> SecretRef.parse("")).hasMessageContaining("empty");
    }

    // ---- fakes -----------------------------------------------------------------------------------

    /** Records the context each provider was made with; refuses a setting named {@code bad}. */
    private static final class RecordingFactory implements ProviderFactory {
        final Map<String, ProviderContext> contexts = new ConcurrentHashMap<>();
        private final String type;

        RecordingFactory(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public ComputeProvider create(ProviderContext context) {
            if (context.config().containsKey("bad")) {
                throw new IllegalArgumentException("provider " + context.id() + ": unknown setting 'bad'");
            }
            contexts.put(context.id().value(), context);
            return new IdleProvider(context.id(), type);
        }
    }

    /** Accepts every job and never runs it. */
    private record IdleProvider(ProviderId id, String type) implements ComputeProvider {
        @Override
        public ProviderCapabilities capabilities() {
            return ProviderCapabilities.of(1000, "1Gi", "1Gi");
        }

        @Override
        public ProviderHealth checkHealth() {
            return ProviderHealth.online();
        }

        @Override
        public ProviderJobRef submit(JobSpec spec, AttemptRef attempt) {
            return ProviderJobRef.of(attempt.toString());
        }

        @Override
        public RemoteStatus status(ProviderJobRef ref) {
            return RemoteStatus.queued();
        }

        @Override
        public void cancel(ProviderJobRef ref) {}
    }
}
