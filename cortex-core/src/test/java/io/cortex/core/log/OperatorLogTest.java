package io.cortex.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.ManualClock;
import io.cortex.core.log.OperatorLogRecord.Level;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OperatorLogTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void keepsOnlyTheNewestRecordsWhenFull() {
        OperatorLog log = new OperatorLog(3, clock);
        for (int i = 1; i <= 5; i++) {
            log.info("scheduler", null, null, null, "record " + i);
        }

        assertThat(log.query(null, null, null, null, null, 100)).extracting(OperatorLogRecord::message)
                .containsExactly("record 3", "record 4", "record 5");
    }

    @Test
    void filtersByServiceProviderJobLevelAndTime() {
        OperatorLog log = new OperatorLog(100, clock);
        log.info("provider-auth", "alpha", null, "AUTH_FAILED", "refreshing");
        log.error("provider-auth", "beta", null, "AUTH_FAILED", "refresh failed");
        clock.advance(Duration.ofMinutes(1));
        Instant later = clock.instant();
        log.warn("scheduler", "alpha", "job_1", "STUCK_PENDING", "failing over");

        assertThat(log.query("provider-auth", "alpha", null, null, null, 10)).extracting(OperatorLogRecord::message)
                .containsExactly("refreshing");
        assertThat(log.query(null, null, null, Level.WARN, null, 10)).extracting(OperatorLogRecord::message)
                .containsExactly("refresh failed", "failing over");
        assertThat(log.query(null, null, "job_1", null, null, 10)).hasSize(1);
        assertThat(log.query(null, null, null, null, later, 10)).extracting(OperatorLogRecord::service)
                .containsExactly("scheduler");
    }

    @Test
    void limitReturnsTheNewestMatchesOldestFirst() {
        OperatorLog log = new OperatorLog(100, clock);
        for (int i = 1; i <= 10; i++) {
            log.info("metrics", null, null, null, "m" + i);
        }

        assertThat(log.query("metrics", null, null, null, null, 2)).extracting(OperatorLogRecord::message)
                .containsExactly("m9", "m10");
    }

    @Test
    void resizingKeepsTheNewestRecordsThatFit() {
        OperatorLog log = new OperatorLog(10, clock);
        for (int i = 1; i <= 6; i++) {
            log.info("s", null, null, null, "r" + i);
        }

        log.resize(2);
        log.info("s", null, null, null, "r7");

        assertThat(log.capacity()).isEqualTo(2);
        assertThat(log.query(null, null, null, null, null, 10)).extracting(OperatorLogRecord::message)
                .containsExactly("r6", "r7");
    }

    @Test
    void aByteBudgetDropsTheOldestRecordsButAlwaysKeepsTheNewest() {
        OperatorLog log = new OperatorLog(100, clock);
        for (int i = 1; i <= 10; i++) {
            log.info("s", null, null, null, "r" + i + " " + "x".repeat(90));
        }
        long perRecord = log.bytes() / 10;
        assertThat(perRecord).isBetween(200L, 210L);

        log.maxBytes(perRecord * 3 + 3);

        assertThat(log.size()).isEqualTo(3);
        assertThat(log.bytes()).isLessThanOrEqualTo(perRecord * 3 + 3);
        assertThat(log.query(null, null, null, null, null, 10)).extracting(r -> r.message().substring(0, 3))
                .containsExactly("r8 ", "r9 ", "r10");

        log.maxBytes(1);
        log.info("s", null, null, null, "only me");
        assertThat(log.query(null, null, null, null, null, 10)).extracting(OperatorLogRecord::message).containsExactly("only me");

        log.maxBytes(0);
        log.info("s", null, null, null, "and me");
        assertThat(log.size()).isEqualTo(2);
    }

    @Test
    void sequencesKeepCountingWhenRecordsAreDroppedAndTheRingIsResized() {
        OperatorLog log = new OperatorLog(4, clock);
        for (int i = 1; i <= 6; i++) {
            log.info("s", null, null, null, "r" + i);
        }
        log.resize(8);
        log.info("s", null, null, null, "r7");

        assertThat(log.query(null, null, null, null, null, 10)).extracting(OperatorLogRecord::sequence)
                .containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(log.bytes()).isEqualTo(5L * (OperatorLog.RECORD_OVERHEAD + 1 + 2));
    }
}
