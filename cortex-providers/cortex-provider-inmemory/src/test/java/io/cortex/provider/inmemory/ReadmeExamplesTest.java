package io.cortex.provider.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples the README shows, kept compiling and true. */
class ReadmeExamplesTest {

    @Test
    void stuckPendingJobFailsOverToAnotherProvider() {
        ManualClock clock = new ManualClock();
        InMemoryProvider slow = InMemoryProvider.builder("slow").clock(clock).price("0.10", "USD").build();
        InMemoryProvider fast = InMemoryProvider.builder("fast").clock(clock).price("0.20", "USD").build();
        slow.defaultOutcome(Outcome.hang());                       // accepts, never starts
        try (Cortex cortex = Cortex.builder().clock(clock).manual().provider(slow).provider(fast).build()) {
            Job job = cortex.submit(JobSpec.builder().image("acme/etl:1").build());
            assertThat(job.provider()).contains(ProviderId.of("slow"));   // cheapest first

            clock.advance(Duration.ofMinutes(5));
            cortex.tick();

            Job after = cortex.job(job.id());
            assertThat(after.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(after.attempts().get(0).outcome()).isEqualTo(ReasonCode.STUCK_PENDING);
            assertThat(slow.cancellations()).isEqualTo(1);                 // the stuck attempt was cancelled there
        }
    }
}
