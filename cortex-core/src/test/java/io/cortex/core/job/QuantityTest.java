package io.cortex.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

    @ParameterizedTest(name = "''{0}'' is {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            128Mi                 | 134217728
            1Gi                   | 1073741824
            1.5Gi                 | 1610612736
            10G                   | 10000000000
            750k                  | 750000
            1048576               | 1048576
            0                     | 0
            ' 2Gi '               | 2147483648
            +1Ki                  | 1024
            1Ti                   | 1099511627776
            1Pi                   | 1125899906842624
            7Ei                   | 8070450532247928832
            1M                    | 1000000
            2T                    | 2000000000000
            1P                    | 1000000000000000
            9E                    | 9000000000000000000
            9223372036854775807   | 9223372036854775807
            .5Ki                  | 512
            """)
    void parsesKubernetesQuantities(String text, long bytes) {
        assertThat(Quantity.parse("memory", text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "''{0}'' rounds up to {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            0.5      | 1
            .5       | 1
            1.0001k  | 1001
            0.1Ki    | 103
            1.5      | 2
            0.000001 | 1
            """)
    void fractionsRoundUpToAWholeByte(String text, long bytes) {
        assertThat(Quantity.parse("memory", text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            -1Gi                 | negative
            -0                   | negative
            10Zi                 | unknown suffix 'Zi'
            10gb                 | unknown suffix 'gb'
            1GiB                 | unknown suffix 'GiB'
            10K                  | unknown suffix 'K'
            9999999999Ei         | larger than 9223372036854775807
            9223372036854775808  | larger than 9223372036854775807
            8Ei                  | larger than 9223372036854775807
            abc                  | unknown suffix
            ''                   | empty
            '   '                | empty
            1..5Gi               | not a number
            Gi                   | not a number
            1.Gi                 | not a number
            1 Gi                 | not a number
            1e3                  | not a number
            0x10                 | not a number
            """)
    void refusesBadTextNamingTheFieldTheValueAndTheRule(String text, String rule) {
        assertThatIllegalArgumentException().isThrownBy(() -> Quantity.parse("storage", text))
                .withMessageStartingWith("storage '" + text + "'")
                .withMessageContaining(rule);
    }

    @Test
    void refusesNullNamingTheField() {
        assertThatNullPointerException().isThrownBy(() -> Quantity.parse("maxMemory", null))
                .withMessage("maxMemory cannot be null");
    }

    @Test
    void parseWithoutAFieldCallsItQuantity() {
        assertThatIllegalArgumentException().isThrownBy(() -> Quantity.parse("12 apples"))
                .withMessageStartingWith("quantity '12 apples'");
    }

    @ParameterizedTest(name = "{0} bytes print as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                   | 0
            1                   | 1
            1023                | 1023
            1024                | 1Ki
            1025                | 1025
            1048576             | 1Mi
            1073741824          | 1Gi
            1610612736          | 1536Mi
            10000000000         | 9765625Ki
            750000              | 750000
            1152921504606846976 | 1Ei
            9223372036854775807 | 9223372036854775807
            """)
    void printsTheLargestBinarySuffixThatDividesElsePlainBytes(long bytes, String text) {
        assertThat(Quantity.ofBytes(bytes)).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1Gi", "1.5Gi", "10G", "750k", "1025", "0", "3Ti", "7Ei"})
    void canonicalTextParsesBackToAnEqualQuantity(String text) {
        Quantity q = Quantity.parse(text);

        assertThat(Quantity.parse(q.toString())).isEqualTo(q);
    }

    @Test
    void equalityAndOrderFollowTheByteCount() {
        Quantity oneGi = Quantity.parse("1Gi");
        Quantity sameInMi = Quantity.parse("1024Mi");
        Quantity oneG = Quantity.parse("1G");

        assertThat(oneGi).isEqualTo(sameInMi).hasSameHashCodeAs(sameInMi).isEqualTo(Quantity.gibibytes(1));
        assertThat(oneGi).isNotEqualTo(oneG).isNotEqualTo("1Gi");
        assertThat(oneGi).isGreaterThan(oneG).isEqualByComparingTo(sameInMi);
        assertThat(List.of(Quantity.ZERO, oneG, oneGi)).isSorted();
        assertThat(oneGi.exceeds(oneG)).isTrue();
        assertThat(oneG.exceeds(oneGi)).isFalse();
        assertThat(oneGi.exceeds(sameInMi)).isFalse();
    }

    @Test
    void factoriesMatchParsing() {
        assertThat(Quantity.mebibytes(256)).isEqualTo(Quantity.parse("256Mi"));
        assertThat(Quantity.gibibytes(3)).isEqualTo(Quantity.parse("3Gi"));
        assertThat(Quantity.ofBytes(0)).isSameAs(Quantity.ZERO);
    }

    @Test
    void factoriesRefuseNegativeAndOverflowingValues() {
        assertThatIllegalArgumentException().isThrownBy(() -> Quantity.ofBytes(-1)).withMessageContaining("negative").withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> Quantity.mebibytes(-5)).withMessageContaining("negative").withMessageContaining("-5Mi");
        assertThatIllegalArgumentException().isThrownBy(() -> Quantity.gibibytes(Long.MAX_VALUE / 1024))
                .withMessageContaining("larger than " + Long.MAX_VALUE);
    }
}
