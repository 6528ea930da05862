package io.cortex.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LogRotationTest {
    @ParameterizedTest
    @CsvSource({"100MB,100000000", "100mb,100000000", "100MiB,104857600", "100Mi,104857600", "100M,100000000",
            "512KB,512000", "1GB,1000000000", "2GiB,2147483648", "1TB,1000000000000", "4096B,4096", "4096,4096",
            "' 10 MB ',10000000", "1.5KiB,1536"})
    void sizesParseLikeQuantitiesWithAnOptionalB(String text, long bytes) {
        assertThat(LogRotation.parseSize("maxSize", text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"100XB", "MB", "-5MB", "lots", "", "10 M B"})
    void aBadSizeNamesTheField(String text) {
        assertThatThrownBy(() -> LogRotation.parseSize("maxSize", text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxSize '" + text + "' is not a size");
    }

    @Test
    void settingsOutOfRangeNameTheSettingAndTheRange() {
        assertThatThrownBy(() -> LogRotation.of(100, 3, true)).hasMessageContaining("maxSize must be between 1024 bytes");
        assertThatThrownBy(() -> LogRotation.of(4096, 0, true)).hasMessage("maxFiles must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> LogRotation.ofDefaults().withMaxFiles(1001)).hasMessageContaining("maxFiles");
    }

    @Test
    void defaultsAreTenMebibytesFiveFilesGzipped() {
        assertThat(LogRotation.ofDefaults()).isEqualTo(LogRotation.of(10 << 20, 5, true));
        assertThat(LogRotation.ofDefaults().withMaxSize(2048).withCompression(false))
                .isEqualTo(LogRotation.of(2048, 5, false));
    }
}
