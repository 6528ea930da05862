package io.cortex.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.Cortex;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderFactories;
import io.cortex.core.provider.ProviderFactory;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderFactoriesTest {
    @TempDir
    Path dir;

    /** A class loader whose META-INF/services file lists {@code classNames}; the classes come from the test class path. */
    private ClassLoader pluginsListing(String... classNames) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(ProviderFactory.class.getName()), List.of(classNames));
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void discoversFactoriesByTheirType() throws IOException {
        ProviderFactories factories = ProviderFactories.discover(pluginsListing(AlphaFactory.class.getName()));

        assertThat(factories.types()).containsExactly("alpha");
        assertThat(factories.find("alpha")).isInstanceOf(AlphaFactory.class);
        assertThat(factories.problems()).isEmpty();
    }

    @Test
    void unknownTypeListsTheKnownTypes() throws IOException {
        ProviderFactories factories = ProviderFactories.discover(pluginsListing(AlphaFactory.class.getName()));

        assertThatThrownBy(() -> factories.find("akash"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown provider type 'akash'")
                .hasMessageContaining("[alpha]");
    }

    @Test
    void unknownTypeOnAnEmptyClassPathSaysNoPluginIsThere() throws IOException {
        ProviderFactories factories = ProviderFactories.discover(pluginsListing());

        assertThatThrownBy(() -> factories.find("inmemory")).hasMessageContaining("no provider plugin on the class path");
    }

    @Test
    void twoFactoriesClaimingOneTypeNameBothClasses() throws IOException {
        ProviderFactories factories = ProviderFactories.discover(
                pluginsListing(TwinOneFactory.class.getName(), TwinTwoFactory.class.getName(), AlphaFactory.class.getName()));

        assertThatThrownBy(() -> factories.find("twin"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(TwinOneFactory.class.getName())
                .hasMessageContaining(TwinTwoFactory.class.getName());
        assertThat(factories.problems()).singleElement().asString().contains("'twin'");
        assertThat(factories.find("alpha")).isInstanceOf(AlphaFactory.class);
    }

    @Test
    void brokenPluginsAreReportedAndTheOthersStillWork() throws IOException {
        ProviderFactories factories = ProviderFactories.discover(pluginsListing(
                "io.cortex.core.discovery.DoesNotExist", ThrowingFactory.class.getName(), AlphaFactory.class.getName(),
                NoTypeFactory.class.getName()));

        assertThat(factories.find("alpha")).isInstanceOf(AlphaFactory.class);
        assertThat(factories.problems()).hasSize(3);
        assertThat(String.join("\n", factories.problems()))
                .contains("DoesNotExist")
                .contains(ThrowingFactory.class.getName())
                .contains(NoTypeFactory.class.getName());
    }

    @Test
    void engineBuiltWithAnUnknownTypeNamesTheKnownOnes() {
        Cortex.Builder builder = Cortex.builder().manual()
                .providerFactories(ProviderFactories.of(new AlphaFactory()))
                .provider("p1", "gpu-cloud", Map.of(), Credentials.NONE);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gpu-cloud'")
                .hasMessageContaining("alpha");
    }

    @Test
    void engineCreatesProvidersThroughTheirFactoryWithItsContext() {
        try (Cortex cortex = Cortex.builder().manual()
                .providerFactories(ProviderFactories.of(new AlphaFactory()))
                .provider("p1", "alpha", Map.of("zone", "eu"), Credentials.of(Map.of("apiKey", "s3cr3t")))
                .build()) {
            assertThat(cortex.providers()).singleElement().satisfies(p -> {
                assertThat(p.id().value()).isEqualTo("p1");
                assertThat(p.type()).isEqualTo("alpha");
            });
            assertThat(AlphaFactory.lastContext.config()).containsEntry("zone", "eu");
            assertThat(AlphaFactory.lastContext.toString()).doesNotContain("s3cr3t");
        }
    }

    /** A well-behaved factory. */
    public static final class AlphaFactory implements ProviderFactory {
        static volatile ProviderContext lastContext;

        @Override
        public String type() {
            return "alpha";
        }

        @Override
        public ComputeProvider create(ProviderContext context) {
            lastContext = context;
            return new FakeProvider(context.id(), "alpha");
        }
    }

    /** Claims "twin". */
    public static final class TwinOneFactory implements ProviderFactory {
        @Override
        public String type() {
            return "twin";
        }

        @Override
        public ComputeProvider create(ProviderContext context) {
            return new FakeProvider(context.id(), "twin");
        }
    }

    /** Also claims "twin". */
    public static final class TwinTwoFactory implements ProviderFactory {
        @Override
        public String type() {
            return "twin";
        }

        @Override
        public ComputeProvider create(ProviderContext context) {
            return new FakeProvider(context.id(), "twin");
        }
    }

    /** Cannot be instantiated. */
    public static final class ThrowingFactory implements ProviderFactory {
        public ThrowingFactory() {
            throw new IllegalStateException("boom in constructor");
        }

        @Override
        public String type() {
            return "throwing";
        }

        @Override
        public ComputeProvider create(ProviderContext context) {
            throw new AssertionError("never");
        }
    }

    /** Has a blank type. */
    public static final class NoTypeFactory implements ProviderFactory {
        @Override
        public String type() {
            return " ";
        }

        @Override
        public ComputeProvider create(ProviderContext context) {
            throw new AssertionError("never");
        }
    }
}
