package io.cortex.provider.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.job.Quantity;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessProviderConfigTest {
    private static final ProviderId ID = ProviderId.of("local");

    @Test
    void settingsAreParsed() {
        ProcessProviderConfig c = ProcessProviderConfig.fromSettings(ID, Map.ofEntries(Map.entry("cpu", "4000"),
                Map.entry("memory", "8Gi"), Map.entry("storage", "20Gi"), Map.entry("maxJobs", "3"),
                Map.entry("imagePolicy", "allowlist"), Map.entry("allowedImages", "alpine:*, acme/*"),
                Map.entry("workDir", "/var/tmp/cortex"), Map.entry("defaultMaxRunTime", "PT1H"),
                Map.entry("killGracePeriod", "500"), Map.entry("logLines", "50"), Map.entry("maxLineLength", "1024"),
                Map.entry("inheritEnvironment", "TRUE"), Map.entry("retainedFinished", "0")));

        assertThat(c.cpuMillis()).isEqualTo(4000);
        assertThat(c.memory()).isEqualTo(Quantity.gibibytes(8));
        assertThat(c.storage()).contains(Quantity.gibibytes(20));
        assertThat(c.maxJobs()).isEqualTo(3);
        assertThat(c.imagePolicy()).isEqualTo(ProcessProviderConfig.ImagePolicy.ALLOWLIST);
        assertThat(c.allowedImages()).containsExactly("alpine:*", "acme/*");
        assertThat(c.workDir()).contains(Path.of("/var/tmp/cortex"));
        assertThat(c.defaultMaxRunTime()).contains(Duration.ofHours(1));
        assertThat(c.killGracePeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.logLines()).isEqualTo(50);
        assertThat(c.maxLineLength()).isEqualTo(1024);
        assertThat(c.inheritEnvironment()).isTrue();
        assertThat(c.retainedFinished()).isZero();
    }

    @Test
    void defaultsComeFromTheMachine() {
        ProcessProviderConfig c = ProcessProviderConfig.ofDefaults();

        assertThat(c.cpuMillis()).isEqualTo(Runtime.getRuntime().availableProcessors() * 1000);
        assertThat(c.memory().bytes()).isPositive();
        assertThat(c.imagePolicy()).isEqualTo(ProcessProviderConfig.ImagePolicy.IGNORE);
        assertThat(c.inheritEnvironment()).isFalse();
        assertThat(c.workDir()).isEmpty();
        assertThat(c.defaultMaxRunTime()).isEmpty();
    }

    @Test
    void unknownKeyIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> ProcessProviderConfig.fromSettings(ID, Map.of("cpus", "4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("provider local").hasMessageContaining("'cpus'").hasMessageContaining("maxJobs");
    }

    @Test
    void invalidValuesAreRefusedNamingProviderKeyAndValue() {
        assertThatThrownBy(() -> ProcessProviderConfig.fromSettings(ID, Map.of("cpu", "four")))
                .hasMessage("provider local: setting 'cpu' must be a positive integer, got 'four'");
        assertThatThrownBy(() -> ProcessProviderConfig.fromSettings(ID, Map.of("memory", "lots")))
                .hasMessageContaining("'memory'").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> ProcessProviderConfig.fromSettings(ID, Map.of("defaultMaxRunTime", "0")))
                .hasMessageContaining("'defaultMaxRunTime'").hasMessageContaining("positive");
        assertThatThrownBy(() -> ProcessProviderConfig.fromSettings(ID, Map.of("imagePolicy", "strict")))
                .hasMessageContaining("'imagePolicy'").hasMessageContaining("'ignore' or 'allowlist'");
        assertThatThrownBy(() -> ProcessProviderConfig.fromSettings(ID, Map.of("inheritEnvironment", "yes")))
                .hasMessageContaining("'inheritEnvironment'").hasMessageContaining("true or false");
    }

    @Test
    void allowListWithoutPatternsIsRefused() {
        assertThatThrownBy(() -> ProcessProviderConfig.fromSettings(ID, Map.of("imagePolicy", "allowlist")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provider local: imagePolicy 'allowlist' needs at least one pattern in allowedImages");
    }

    @Test
    void settingAnOptionTwiceSaysWhatItWasSetTo() {
        ProcessProviderConfig.Builder b = ProcessProviderConfig.builder().maxJobs(2);

        assertThatThrownBy(() -> b.maxJobs(3)).isInstanceOf(IllegalStateException.class).hasMessage("maxJobs was already set to 2");
        assertThat(b.allowedImages(List.of("a/*")).build().allowedImages()).containsExactly("a/*");
    }

    @Test
    void factoryReportsItsTypeAndRefusesBadSettings() {
        ProcessProviderFactory factory = new ProcessProviderFactory();

        assertThat(factory.type()).isEqualTo("process");
        assertThatThrownBy(() -> factory.create(new ProviderContext(ID, Map.of("maxJobs", "0"), Credentials.NONE,
                Clock.systemUTC(), (a, r, s) -> { })))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'maxJobs'");
    }
}
