package io.cortex.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourcesTest {

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void cpuBelowOneMillicoreIsRefusedNamingCpu(int cpu) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Resources(cpu, Quantity.gibibytes(1), Quantity.ZERO, 0))
                .withMessageStartingWith("cpu ").withMessageContaining(String.valueOf(cpu));
    }

    @Test
    void zeroMemoryIsRefusedNamingMemory() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Resources(1000, Quantity.ZERO, Quantity.ZERO, 0))
                .withMessageStartingWith("memory ").withMessageContaining("more than 0");
        assertThatIllegalArgumentException().isThrownBy(() -> Resources.of(1000, "0", "1Gi"))
                .withMessageStartingWith("memory ");
    }

    @Test
    void negativeGpusAreRefusedNamingGpus() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Resources(1000, Quantity.gibibytes(1), Quantity.ZERO, -1))
                .withMessageStartingWith("gpus ").withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> Resources.DEFAULT.withGpus(-2))
                .withMessageStartingWith("gpus ").withMessageContaining("-2");
    }

    @Test
    void nullQuantitiesAreRefusedNamingTheField() {
        assertThatNullPointerException().isThrownBy(() -> new Resources(1000, null, Quantity.ZERO, 0)).withMessage("memory cannot be null");
        assertThatNullPointerException().isThrownBy(() -> new Resources(1000, Quantity.gibibytes(1), null, 0)).withMessage("storage cannot be null");
        assertThatNullPointerException().isThrownBy(() -> Resources.of(1000, null, "1Gi")).withMessage("memory cannot be null");
        assertThatNullPointerException().isThrownBy(() -> Resources.of(1000, "1Gi", null)).withMessage("storage cannot be null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1Gi", "1GB", ""})
    void ofNamesMemoryWhenTheMemoryTextIsBad(String memory) {
        assertThatIllegalArgumentException().isThrownBy(() -> Resources.of(1000, memory, "10Gi"))
                .withMessageStartingWith("memory '" + memory + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1Gi", "1GB", ""})
    void ofNamesStorageWhenTheStorageTextIsBad(String storage) {
        assertThatIllegalArgumentException().isThrownBy(() -> Resources.of(1000, "1Gi", storage))
                .withMessageStartingWith("storage '" + storage + "'");
    }

    @Test
    void ofParsesTheOperatorGuidesForm() {
        Resources r = Resources.of(1000, "1Gi", "10Gi");

        assertThat(r.cpuMillis()).isEqualTo(1000);
        assertThat(r.memory()).isEqualTo(Quantity.gibibytes(1));
        assertThat(r.storage()).isEqualTo(Quantity.gibibytes(10));
        assertThat(r.gpus()).isZero();
        assertThat(r).isEqualTo(new Resources(1000, Quantity.parse("1024Mi"), Quantity.parse("10Gi"), 0));
    }

    @Test
    void oneMillicoreOneByteOfMemoryAndNoStorageIsTheSmallestRequest() {
        assertThatCode(() -> new Resources(1, Quantity.ofBytes(1), Quantity.ZERO, 0)).doesNotThrowAnyException();
    }

    @Test
    void withGpusChangesOnlyTheGpuCount() {
        Resources r = Resources.of(1000, "1Gi", "10Gi").withGpus(2);

        assertThat(r).isEqualTo(new Resources(1000, Quantity.gibibytes(1), Quantity.gibibytes(10), 2));
    }

    @Test
    void toStringShowsEveryPartAndGpusOnlyWhenAsked() {
        assertThat(Resources.of(1000, "1Gi", "10Gi")).hasToString("cpu=1000m memory=1Gi storage=10Gi");
        assertThat(Resources.of(1000, "1Gi", "10Gi").withGpus(2)).hasToString("cpu=1000m memory=1Gi storage=10Gi gpus=2");
    }
}
