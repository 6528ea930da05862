package io.cortex.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  @Test
  void defaultsAreTheStandardWebhooksScheduleWithJitter() {
    RetrySchedule s = RetrySchedule.ofDefaults();

    assertThat(s.delays()).containsExactly(Duration.ZERO, Duration.ofSeconds(5),
        Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
        Duration.ofHours(10), Duration.ofHours(10));
    assertThat(s.maxAttempts()).isEqualTo(8);
    assertThat(s.jitter()).isEqualTo(0.2);
  }

  @Test
  void jitterVariesEachDelayWithinItsBoundsButNeverTheImmediateOne() {
    RetrySchedule s = RetrySchedule.ofDefaults();

    assertThat(s.minDelayBefore(1)).isZero();
    assertThat(s.maxDelayBefore(1)).isZero();
    assertThat(s.minDelayBefore(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(s.maxDelayBefore(2)).isEqualTo(Duration.ofSeconds(6));
    assertThat(s.delayBefore(3, 0.5)).isEqualTo(Duration.ofMinutes(5));
    for (double r = 0; r <= 1; r += 0.125) {
      assertThat(s.delayBefore(8, r)).isBetween(Duration.ofHours(8), Duration.ofHours(12));
    }
    assertThat(s.withJitter(0).maxDelayBefore(8)).isEqualTo(Duration.ofHours(10));
  }

  @Test
  void invalidSchedulesAreRefusedWithTheRule() {
    assertThatIllegalArgumentException().isThrownBy(() -> RetrySchedule.of(List.of(), 0))
        .withMessageContaining("1 to 50 delays");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.of(List.of(Duration.ofSeconds(-1)), 0))
        .withMessageContaining("delay 0").withMessageContaining("PT-1S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetrySchedule.of(List.of(Duration.ofDays(8)), 0))
        .withMessageContaining("PT168H");
    assertThatIllegalArgumentException().isThrownBy(() -> RetrySchedule.ofDefaults().withJitter(1))
        .withMessageContaining("jitter");
    assertThatIllegalArgumentException().isThrownBy(() -> RetrySchedule.ofDefaults().minDelayBefore(9))
        .withMessageContaining("attempt must be 1 to 8");
  }

  @Test
  void schedulesWithTheSameDelaysAndJitterAreEqual() {
    assertThat(RetrySchedule.of(Duration.ZERO, Duration.ofSeconds(5)))
        .isEqualTo(RetrySchedule.of(List.of(Duration.ZERO, Duration.ofSeconds(5)), 0.2))
        .hasSameHashCodeAs(RetrySchedule.of(List.of(Duration.ZERO, Duration.ofSeconds(5)), 0.2))
        .isNotEqualTo(RetrySchedule.of(List.of(Duration.ZERO, Duration.ofSeconds(5)), 0.1));
  }
}
