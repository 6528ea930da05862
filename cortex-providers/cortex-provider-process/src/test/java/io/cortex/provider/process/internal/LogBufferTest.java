package io.cortex.provider.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.provider.LogLine;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogBufferTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void keepsTheNewestLinesWithTheirSequencesWhenFull() {
        LogBuffer buffer = new LogBuffer(3);
        for (int i = 0; i < 5; i++) {
            buffer.append(T, "stdout", "line " + i);
        }

        assertThat(buffer.after(-1, 10)).extracting(LogLine::sequence).containsExactly(2L, 3L, 4L);
        assertThat(buffer.total()).isEqualTo(5);
        assertThat(buffer.dropped()).isEqualTo(2);
    }

    @Test
    void resumesAfterACursorAndHonoursTheLimit() {
        LogBuffer buffer = new LogBuffer(10);
        for (int i = 0; i < 6; i++) {
            buffer.append(T, i % 2 == 0 ? "stdout" : "stderr", "line " + i);
        }

        assertThat(buffer.after(1, 2)).extracting(LogLine::text).containsExactly("line 2", "line 3");
        assertThat(buffer.after(5, 2)).isEmpty();
        assertThat(buffer.after(-1, 0)).isEmpty();
        assertThatThrownBy(() -> buffer.after(-1, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }
}
