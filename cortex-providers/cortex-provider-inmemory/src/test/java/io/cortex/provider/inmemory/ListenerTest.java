package io.cortex.provider.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.job.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerTest {
    private final AtomicInteger thrown = new AtomicInteger();
    private final EngineFixture fx = new EngineFixture().engine(b -> b.listener(e -> {
        thrown.incrementAndGet();
        throw new IllegalStateException("listener bug on " + e.id());
    }));

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void throwingListenerDoesNotStopDeliveryToOthers() {
        // Given a listener registered after one that always throws
        List<CortexEvent> after = new ArrayList<>();
        fx.cortex().addListener(after::add);

        // When jobs and a provider change produce events
        Job first = fx.aJob();
        fx.a().goOffline();
        fx.advance(Duration.ofSeconds(30)).advance(Duration.ofSeconds(30));
        Job second = fx.aJob();

        // Then every listener got every event, the throwing one included
        assertThat(after).extracting(CortexEvent::id).containsExactlyElementsOf(
                fx.events().stream().map(CortexEvent::id).toList().subList(fx.events().size() - after.size(), fx.events().size()));
        assertThat(after).filteredOn(e -> e.job() != null).extracting(e -> e.job().job().id())
                .containsOnly(first.id(), second.id()).hasSize(8);
        assertThat(after).extracting(CortexEvent::type).contains(EventTypes.PROVIDER_STATUS_CHANGED);
        assertThat(thrown.get()).isEqualTo(fx.events().size());
        assertThat(fx.cortex().metrics().eventsWaiting()).isZero();
    }

    @Test
    void closingTheHandleRemovesTheListener() throws Exception {
        List<CortexEvent> seen = new ArrayList<>();
        AutoCloseable handle = fx.cortex().addListener(seen::add);
        Job first = fx.aJob();
        assertThat(seen).hasSize(4);

        handle.close();
        fx.aJob();

        assertThat(seen).hasSize(4).allSatisfy(e -> assertThat(e.job().job().id()).isEqualTo(first.id()));
        assertThat(fx.events()).hasSize(8);
    }
}
