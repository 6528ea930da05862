package io.cortex.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbox document the store assembles is the one Jackson writes for the event, and reads back as it. */
class DocumentsTest {
    private final Instant now = Instant.parse("2026-11-28T10:15:30.123456789Z");

    @Test
    void theAssembledOutboxDocumentIsWhatJacksonWritesForTheEvent() {
        Job.Change submitted = Job.create(JobId.of("job_docs1"), JobSpec.builder().image("acme/app:1").label("team", "ml \"quoted\"")
                .build(), now);
        Job.Change assigned = submitted.job().assign(ProviderId.of("alpha"), now.plusMillis(5), List.of());
        for (Job.Change c : List.of(submitted, assigned)) {
            CortexEvent event = CortexEvent.of(c.job(), c.event());

            String assembled = Documents.outbox(event, Documents.write(c.job()), Documents.write(c.event()));

            assertThat(assembled).isEqualTo(Documents.write(event));
            assertThat(Documents.write(Documents.read(assembled, CortexEvent.class, "an event"))).isEqualTo(assembled);
        }
    }

    @Test
    void aProviderEventHasNoJobDocumentsToAssemble() {
        CortexEvent offline = CortexEvent.of("evt_p_alpha_1", EventTypes.PROVIDER_STATUS_CHANGED,
                new ProviderChange(ProviderId.of("alpha"), ProviderStatus.ONLINE, ProviderStatus.OFFLINE,
                        ReasonCode.PROVIDER_OFFLINE, "gone", now));

        assertThatThrownBy(() -> Documents.outbox(offline, "{}", "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("evt_p_alpha_1");
    }
}
