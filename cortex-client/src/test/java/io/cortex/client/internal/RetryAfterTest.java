package io.cortex.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

    @Test
    void deltaSecondsAreASecondCount() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void anHttpDateIsTheWaitUntilThen() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:42 GMT", NOW)).contains(Duration.ofSeconds(42));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void absentOrUnreadableValuesAreIgnored() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("tomorrow", NOW)).isEmpty();
    }

    @Test
    void hugeValuesAreCappedInsteadOfOverflowing() {
        assertThat(RetryAfter.parse("99999999999999999999", NOW)).contains(Duration.ofDays(365));
    }
}
