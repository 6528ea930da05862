package io.cortex.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "7", "akash", "aws-us-east-1", "vast.ai", "my_cluster", "0-0.0_0"})
    void acceptsLowerCaseLettersDigitsDotsDashesAndUnderscores(String value) {
        assertThat(ProviderId.of(value).value()).isEqualTo(value);
    }

    @Test
    void acceptsUpToSixtyFourCharacters() {
        String longest = "p".repeat(64);

        assertThat(ProviderId.of(longest)).hasToString(longest);
        assertThatIllegalArgumentException().isThrownBy(() -> ProviderId.of(longest + "p")).withMessageContaining(longest + "p");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Akash", "AWS", "-akash", ".akash", "_akash", "a b", "a/b", "a:b", "ä", " a", "a "})
    void refusesAnythingElseNamingTheValueAndTheRule(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> ProviderId.of(value))
                .withMessageContaining("providerId '" + value + "'")
                .withMessageContaining("1 to 64 of [a-z0-9._-] starting with a letter or digit");
    }

    @Test
    void refusesNull() {
        assertThatNullPointerException().isThrownBy(() -> ProviderId.of(null)).withMessage("providerId cannot be null");
    }

    @Test
    void equalityHashCodeOrderAndTextFollowTheValue() {
        ProviderId alpha = ProviderId.of("alpha");

        assertThat(alpha).isEqualTo(ProviderId.of("alpha")).hasSameHashCodeAs(ProviderId.of("alpha")).hasToString("alpha");
        assertThat(alpha).isNotEqualTo(ProviderId.of("beta")).isNotEqualTo("alpha");
        assertThat(alpha).isLessThan(ProviderId.of("beta"));
    }
}
