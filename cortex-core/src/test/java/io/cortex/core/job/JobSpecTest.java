package io.cortex.core.job;

import static io.cortex.core.job.Jobs.aSpec;
import static io.cortex.core.job.Jobs.aSpecBuilder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.provider.ProviderId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobSpecTest {

    // ---- validation --------------------------------------------------------------------------

    @Test
    void buildWithoutAnImageFails() {
        assertThatNullPointerException().isThrownBy(() -> JobSpec.builder().command("true").build())
                .withMessage("image cannot be null");
    }

    @Test
    void imageTextIsParsedAndABadOneNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> JobSpec.builder().image("Bad/Image"))
                .withMessageContaining("image 'Bad/Image'");
        assertThatNullPointerException().isThrownBy(() -> JobSpec.builder().image((ImageRef) null))
                .withMessage("image cannot be null");
        assertThat(JobSpec.builder().image(ImageRef.parse("ubuntu")).build().image()).isEqualTo(ImageRef.parse("ubuntu:latest"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 101, -1, Integer.MIN_VALUE})
    void maxAttemptsOutsideOneToOneHundredIsRefused(int attempts) {
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().maxAttempts(attempts))
                .withMessageContaining("maxAttempts")
                .withMessageContaining(String.valueOf(attempts));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100})
    void maxAttemptsAtTheBoundsIsAccepted(int attempts) {
        assertThat(aSpecBuilder().maxAttempts(attempts).build().maxAttempts()).isEqualTo(attempts);
    }

    @Test
    void negativeMaxPriceIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().maxPrice(new BigDecimal("-0.01")))
                .withMessageContaining("maxPrice").withMessageContaining("-0.01");
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().maxPrice("-3"))
                .withMessageContaining("maxPrice").withMessageContaining("-3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "1,50", "NaN", "2.5 USD"})
    void maxPriceTextThatIsNotADecimalIsRefused(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().maxPrice(text))
                .withMessageContaining("maxPrice '" + text + "'")
                .withMessageContaining("not a decimal number");
    }

    @Test
    void maxPriceTextIsTrimmedAndZeroIsAllowed() {
        assertThat(aSpecBuilder().maxPrice(" 2.50 ").build().maxPrice()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("2.5"));
        assertThat(aSpecBuilder().maxPrice("0").build().maxPrice()).hasValueSatisfying(p -> assertThat(p).isZero());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -3600})
    void nonPositiveMaxRunTimeIsRefused(long seconds) {
        Duration value = Duration.ofSeconds(seconds);

        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().maxRunTime(value))
                .withMessageContaining("maxRunTime").withMessageContaining(value.toString());
    }

    @Test
    void maxRunTimeIsKept() {
        assertThat(aSpecBuilder().maxRunTime(Duration.ofNanos(1)).build().maxRunTime()).contains(Duration.ofNanos(1));
        assertThatNullPointerException().isThrownBy(() -> aSpecBuilder().maxRunTime(null)).withMessage("maxRunTime cannot be null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1X", "", "A-B", "A B", "Ä", "X=Y"})
    void invalidEnvNameIsRefusedNamingIt(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().env(name, "v"))
                .withMessageContaining("env name '" + name + "'")
                .withMessageContaining("[A-Za-z_][A-Za-z0-9_]*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X", "_", "_PRIVATE", "api_KEY_2"})
    void validEnvNamesAreAccepted(String name) {
        assertThat(aSpecBuilder().env(name, "v").build().env()).containsEntry(name, "v");
    }

    @Test
    void nullEnvPartsAreRefusedNamingThem() {
        assertThatNullPointerException().isThrownBy(() -> aSpecBuilder().env(null, "v")).withMessage("env name cannot be null");
        assertThatNullPointerException().isThrownBy(() -> aSpecBuilder().env("TOKEN", null)).withMessage("env[TOKEN] cannot be null");
        Map<String, String> withBadName = new HashMap<>();
        withBadName.put("9LIVES", "x");
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().env(withBadName)).withMessageContaining("9LIVES");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-team", "team-", ".team", "team.", "team owner", "tëam", "t@m"})
    void invalidLabelKeysAreRefusedNamingTheKeyAndTheRule(String key) {
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().label(key, "x"))
                .withMessageContaining("label key '" + key + "'")
                .withMessageContaining("1 to 63");
    }

    @Test
    void labelKeyOfSixtyFourCharactersIsRefused() {
        String key = "k".repeat(64);

        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().label(key, "x")).withMessageContaining(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "9", "team", "acme.io/owner", "a-b_c.d", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"})
    void validLabelKeysAreAccepted(String key) {
        assertThat(aSpecBuilder().label(key, "x").build().labels()).containsEntry(key, "x");
    }

    @Test
    void labelValueLongerThan256CharactersIsRefusedNamingTheLabel() {
        assertThat(aSpecBuilder().label("note", "v".repeat(256)).build().labels().get("note")).hasSize(256);
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().label("note", "v".repeat(257)))
                .withMessageContaining("label[note]").withMessageContaining("256").withMessageContaining("257");
        assertThatNullPointerException().isThrownBy(() -> aSpecBuilder().label("note", null)).withMessage("label[note] cannot be null");
    }

    @Test
    void aProviderBothAllowedAndDeniedIsRefusedNamingIt() {
        JobSpec.Builder b = aSpecBuilder().allowProviders("alpha", "beta").denyProviders("beta");

        assertThatIllegalArgumentException().isThrownBy(b::build)
                .withMessageContaining("beta").withMessageContaining("both allowed and denied");
    }

    @Test
    void invalidProviderIdsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().allowProviders("Alpha"))
                .withMessageContaining("providerId 'Alpha'");
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().preferProviders("-x"))
                .withMessageContaining("providerId '-x'");
    }

    @Test
    void nullCommandElementIsRefusedNamingItsIndex() {
        assertThatNullPointerException().isThrownBy(() -> aSpecBuilder().command("python", null))
                .withMessage("command[1] cannot be null");
    }

    @Test
    void resourcesInTheOperatorGuidesFormNameTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().resources(1000, "lots", "10Gi"))
                .withMessageStartingWith("memory 'lots'");
        assertThatIllegalArgumentException().isThrownBy(() -> aSpecBuilder().resources(1000, "1Gi", "-1Gi"))
                .withMessageStartingWith("storage '-1Gi'");
        assertThatNullPointerException().isThrownBy(() -> aSpecBuilder().resources(null)).withMessage("resources cannot be null");
    }

    // ---- defaults ----------------------------------------------------------------------------

    @Test
    void anImageIsAllItTakes() {
        JobSpec spec = JobSpec.builder().image("ubuntu").build();

        assertThat(spec.resources()).isEqualTo(Resources.DEFAULT);
        assertThat(spec.maxAttempts()).isEqualTo(3).isEqualTo(JobSpec.DEFAULT_MAX_ATTEMPTS);
        assertThat(spec.rerunOnProviderLoss()).isTrue();
        assertThat(spec.command()).isEmpty();
        assertThat(spec.env()).isEmpty();
        assertThat(spec.labels()).isEmpty();
        assertThat(spec.constraints()).isEqualTo(ProviderConstraints.NONE);
        assertThat(spec.maxRunTime()).isEmpty();
        assertThat(spec.maxPrice()).isEmpty();
    }

    @Test
    void defaultResourcesAreAQuarterCore256MiAnd1GiWithoutGpu() {
        assertThat(Resources.DEFAULT).isEqualTo(Resources.of(250, "256Mi", "1Gi"));
        assertThat(Resources.DEFAULT.gpus()).isZero();
    }

    // ---- immutability ------------------------------------------------------------------------

    @Test
    void returnedCollectionsAreUnmodifiable() {
        JobSpec spec = aSpecBuilder().allowProviders("alpha").denyProviders("gamma").preferProviders("alpha").build();

        assertThatThrownBy(() -> spec.command().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.env().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.constraints().allow().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.constraints().deny().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.constraints().preferred().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void laterChangesToTheCallersCollectionsOrTheBuilderDoNotReachABuiltSpec() {
        List<String> command = new ArrayList<>(List.of("run"));
        Map<String, String> env = new HashMap<>(Map.of("A", "1"));
        Map<String, String> labels = new HashMap<>(Map.of("team", "ml"));
        JobSpec.Builder builder = JobSpec.builder().image("ubuntu").command(command).env(env).labels(labels);
        JobSpec spec = builder.build();

        command.add("more");
        env.put("B", "2");
        labels.put("extra", "x");
        builder.command("other").env("C", "3").label("late", "y").allowProviders("alpha").maxAttempts(9);

        assertThat(spec.command()).containsExactly("run");
        assertThat(spec.env()).containsExactly(Map.entry("A", "1"));
        assertThat(spec.labels()).containsExactly(Map.entry("team", "ml"));
        assertThat(spec.constraints().allow()).isEmpty();
        assertThat(spec.maxAttempts()).isEqualTo(3);
    }

    @Test
    void envKeepsInsertionOrder() {
        JobSpec spec = JobSpec.builder().image("ubuntu").env("Z", "1").env("A", "2").env("M", "3").build();

        assertThat(spec.env().keySet()).containsExactly("Z", "A", "M");
    }

    // ---- secrets -----------------------------------------------------------------------------

    @Test
    void toStringShowsEnvNamesButNeverTheirValues() {
        List<String> secrets = List.of("sk-live-4f9a8c7e", "hunter2-pass", "AKIAIOSFODNN7EXAMPLE",
                "-----BEGIN PRIVATE KEY-----MIIEvQ");
        JobSpec spec = aSpecBuilder()
                .env("API_KEY", secrets.get(0))
                .env("DB_PASSWORD", secrets.get(1))
                .env("AWS_ACCESS_KEY_ID", secrets.get(2))
                .env("SIGNING_KEY", secrets.get(3))
                .build();

        String text = spec.toString();

        assertThat(text).contains("API_KEY", "DB_PASSWORD", "AWS_ACCESS_KEY_ID", "SIGNING_KEY", "MODE");
        for (String secret : secrets) {
            assertThat(text).doesNotContain(secret);
        }
        assertThat(text).doesNotContain("fast"); // the fixture's MODE value
    }

    // ---- derived copies ----------------------------------------------------------------------

    @Test
    void toBuilderBuildsAnEqualSpec() {
        JobSpec spec = aSpecBuilder()
                .maxRunTime(Duration.ofMinutes(30)).maxPrice("2.50").maxAttempts(5).rerunOnProviderLoss(false)
                .allowProviders("alpha", "beta").denyProviders("gamma").preferProviders("beta", "alpha")
                .resources(Resources.of(2000, "4Gi", "20Gi").withGpus(1))
                .build();

        JobSpec copy = spec.toBuilder().build();

        assertThat(copy).isEqualTo(spec).hasSameHashCodeAs(spec).isNotSameAs(spec);
        assertThat(copy.toString()).isEqualTo(spec.toString());
    }

    @Test
    void aChangeThroughToBuilderLeavesTheOriginalAlone() {
        JobSpec spec = aSpec();

        JobSpec changed = spec.toBuilder().label("extra", "1").maxAttempts(7).build();

        assertThat(changed).isNotEqualTo(spec);
        assertThat(spec.labels()).doesNotContainKey("extra");
        assertThat(spec.maxAttempts()).isEqualTo(3);
    }

    @Test
    void specsDifferingInOneFieldAreNotEqual() {
        JobSpec spec = aSpec();

        assertThat(spec)
                .isNotEqualTo(spec.toBuilder().image("ubuntu").build())
                .isNotEqualTo(spec.toBuilder().command("other").build())
                .isNotEqualTo(spec.toBuilder().env("X", "1").build())
                .isNotEqualTo(spec.toBuilder().maxRunTime(Duration.ofHours(1)).build())
                .isNotEqualTo(spec.toBuilder().maxPrice("1").build())
                .isNotEqualTo(spec.toBuilder().label("x", "1").build())
                .isNotEqualTo(spec.toBuilder().denyProviders("gamma").build())
                .isNotEqualTo(spec.toBuilder().maxAttempts(4).build())
                .isNotEqualTo(spec.toBuilder().rerunOnProviderLoss(false).build())
                .isNotEqualTo(spec.withResources(Resources.DEFAULT));
    }

    @Test
    void maxPricesThatDifferOnlyInScaleAreEqual() {
        JobSpec a = aSpecBuilder().maxPrice("2.5").build();
        JobSpec b = aSpecBuilder().maxPrice("2.50").build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void withResourcesChangesOnlyTheResources() {
        JobSpec spec = aSpecBuilder().maxAttempts(4).allowProviders("alpha").build();
        Resources other = Resources.of(3000, "3Gi", "30Gi");

        JobSpec changed = spec.withResources(other);

        assertThat(changed.resources()).isEqualTo(other);
        assertThat(changed.toBuilder().resources(spec.resources()).build()).isEqualTo(spec);
        assertThat(spec.resources()).isEqualTo(Resources.of(1000, "1Gi", "10Gi"));
        assertThat(changed.constraints().allow()).containsExactly(ProviderId.of("alpha"));
        assertThatNullPointerException().isThrownBy(() -> spec.withResources(null)).withMessage("resources cannot be null");
    }
}
