package io.cortex.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventBufferTest {
    private static final long FIRST = 1_000;
    private final EventBuffer buffer = new EventBuffer(4, FIRST);

    private long append(String json) {
        return buffer.append("job.updated", "job_x", () -> json);
    }

    @Test
    void idsFollowEachOtherFromTheFirstAndAReaderGetsWhatCameAfterItsCursor() throws Exception {
        assertThat(buffer.newestId()).isEqualTo(FIRST - 1);
        assertThat(append("{\"n\":1}")).isEqualTo(FIRST);
        assertThat(append("{\"n\":2}")).isEqualTo(FIRST + 1);

        EventBuffer.Batch b = buffer.read(FIRST, 10, 0);

        assertThat(b.gap()).isFalse();
        assertThat(b.entries()).extracting(EventBuffer.Entry::id).containsExactly(FIRST + 1);
        assertThat(new String(b.entries().get(0).frame(), StandardCharsets.UTF_8))
                .isEqualTo("id: 1001\nevent: job.updated\ndata: {\"n\":2}\n\n");
    }

    @Test
    void aCursorOlderThanTheWindowIsAGapAndTheReadStartsAtTheOldestHeld() throws Exception {
        for (int i = 0; i < 10; i++) {
            append("{}");
        }

        EventBuffer.Batch b = buffer.read(FIRST + 2, 10, 0);

        assertThat(b.gap()).isTrue();
        assertThat(b.oldestAvailable()).isEqualTo(FIRST + 6);
        assertThat(b.entries()).extracting(EventBuffer.Entry::id).containsExactly(FIRST + 6, FIRST + 7, FIRST + 8, FIRST + 9);
        assertThat(buffer.read(FIRST + 5, 2, 0).gap()).as("just before the oldest: nothing lost").isFalse();
        assertThat(buffer.read(FIRST + 5, 2, 0).entries()).hasSize(2);
        assertThat(buffer.read(FIRST + 20, 10, 0).gap()).as("an id never issued").isTrue();
    }

    @Test
    void aMessageIsRenderedOnceWhateverTheNumberOfClients() throws Exception {
        AtomicInteger renders = new AtomicInteger();
        buffer.append("job.updated", null, () -> {
            renders.incrementAndGet();
            return "{}";
        });
        EventBuffer.Entry e = buffer.read(FIRST - 1, 1, 0).entries().get(0);

        byte[] first = e.frame();
        byte[] second = e.frame();

        assertThat(second).isSameAs(first);
        assertThat(renders).hasValue(1);
    }

    @Test
    void aWaitingReaderWakesOnAppendAndOnClose() throws Exception {
        CompletableFuture<EventBuffer.Batch> waiting = CompletableFuture.supplyAsync(() -> read(FIRST - 1));
        append("{}");
        assertThat(waiting.get(10, TimeUnit.SECONDS).entries()).hasSize(1);

        CompletableFuture<EventBuffer.Batch> closing = CompletableFuture.supplyAsync(() -> read(FIRST));
        buffer.close();
        assertThat(closing.get(10, TimeUnit.SECONDS).closed()).isTrue();
        assertThat(buffer.read(FIRST - 1, 10, 0).closed()).isTrue();
    }

    @Test
    void aReadWithNothingNewReturnsEmptyAfterItsTimeout() throws Exception {
        append("{}");

        EventBuffer.Batch b = buffer.read(FIRST, 10, TimeUnit.MILLISECONDS.toNanos(20));

        assertThat(b.closed()).isFalse();
        assertThat(b.gap()).isFalse();
        assertThat(b.entries()).isEmpty();
    }

    @Test
    void theWindowHoldsAtLeastOneEvent() {
        assertThatThrownBy(() -> new EventBuffer(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    private EventBuffer.Batch read(long cursor) {
        try {
            return buffer.read(cursor, 10, TimeUnit.SECONDS.toNanos(30));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
