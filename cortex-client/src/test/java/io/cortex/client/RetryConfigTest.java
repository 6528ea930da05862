package io.cortex.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        RetryConfig c = RetryConfig.ofDefaults();

        assertThat(c.maxAttempts()).isEqualTo(4);
        assertThat(c.maxDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.baseDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.maxDelay()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.maxRetryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.retryableStatuses()).containsExactly(429, 502, 503, 504);
        assertThat(RetryConfig.builder().build()).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(RetryConfig.disabled().maxAttempts()).isEqualTo(1);
    }

    @Test
    void builderCopiesWhatWasSet() {
        RetryConfig c = RetryConfig.builder().maxAttempts(7).maxDuration(Duration.ofMinutes(2))
                .baseDelay(Duration.ofMillis(100)).maxDelay(Duration.ofSeconds(1)).maxRetryAfter(Duration.ZERO)
                .retryableStatuses(Set.of(503)).build();

        assertThat(c.maxAttempts()).isEqualTo(7);
        assertThat(c.maxDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.baseDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.maxDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.maxRetryAfter()).isZero();
        assertThat(c.retryableStatuses()).containsExactly(503);
        assertThat(c).isNotEqualTo(RetryConfig.ofDefaults());
        assertThat(c.toString()).contains("maxAttempts=7", "retryableStatuses=[503]");
    }

    @Test
    void settingAnOptionTwiceSaysWhatItWasAlreadySetTo() {
        assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(3).maxAttempts(5))
                .isInstanceOf(IllegalStateException.class).hasMessage("maxAttempts already set to 3");
        assertThatThrownBy(() -> RetryConfig.builder().maxDuration(Duration.ofSeconds(9)).maxDuration(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessage("maxDuration already set to PT9S");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureThreshold(2).failureThreshold(3))
                .isInstanceOf(IllegalStateException.class).hasMessage("failureThreshold already set to 2");
    }

    @Test
    void badValuesAreRefusedNamingTheValueAndTheRule() {
        assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be at least 1, got 0");
        assertThatThrownBy(() -> RetryConfig.builder().baseDelay(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("baseDelay must be positive, got PT0S");
        assertThatThrownBy(() -> RetryConfig.builder().maxRetryAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> RetryConfig.builder().retryableStatuses(Set.of(200)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 400 and 599, got 200");
        assertThatThrownBy(() -> RetryConfig.builder().maxDuration(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("maxDuration cannot be null");
        assertThatThrownBy(() -> RetryConfig.builder().baseDelay(Duration.ofSeconds(5)).maxDelay(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDelay (PT1S) must not be shorter than baseDelay (PT5S)");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().openDelay(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void circuitBreakerDefaults() {
        CircuitBreakerConfig c = CircuitBreakerConfig.ofDefaults();

        assertThat(c.failureThreshold()).isEqualTo(5);
        assertThat(c.openDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.successThreshold()).isEqualTo(1);
        assertThat(CircuitBreakerConfig.builder().build()).isEqualTo(c);
    }
}
