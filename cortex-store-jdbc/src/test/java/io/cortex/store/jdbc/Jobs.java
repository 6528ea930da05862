package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cortex.core.ManualClock;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.json.CortexJson;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.store.JobStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Data builders for store tests: jobs and the moves that change them. */
final class Jobs {
    static final ProviderId ALPHA = ProviderId.of("alpha");
    static final ProviderId BETA = ProviderId.of("beta");
    private static final AtomicLong IDS = new AtomicLong();

    final ManualClock clock;
    private final JobStore store;

    Jobs(JobStore store) {
        this(store, new ManualClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
    }

    /** Jobs stamped by {@code clock} (a store's retention may read the same clock). */
    Jobs(JobStore store, ManualClock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new PENDING job with these labels (key, value, key, value, …), stored, and the clock moved 1 ms. */
    Job submitted(String... labels) {
        JobSpec.Builder spec = JobSpec.builder().image("acme/app:1");
        for (int i = 0; i + 1 < labels.length; i += 2) {
            spec.label(labels[i], labels[i + 1]);
        }
        Job.Change c = Job.create(JobId.of("job_s" + System.nanoTime() % 1_000_000_000L + "x" + IDS.incrementAndGet()),
                spec.build(), clock.instant());
        store.insert(c.job(), c.event());
        clock.advance(Duration.ofMillis(1));
        return c.job();
    }

    /** A new PENDING job whose id ends with {@code name}, not stored; the clock moved 1 ms. */
    Job.Change created(String name) {
        Job.Change c = Job.create(JobId.of("job_c" + IDS.incrementAndGet() + "_" + name), JobSpec.builder().image("acme/app:1")
                .label("made", "by-test").build(), clock.instant());
        clock.advance(Duration.ofMillis(1));
        return c;
    }

    /** A job stored directly as SUCCEEDED (version 4, its last event), the clock moved 1 ms: retention fodder. */
    Job storedSucceeded() {
        Job.Change c = Job.create(JobId.of("job_d" + IDS.incrementAndGet()), JobSpec.builder().image("acme/app:1").build(),
                clock.instant());
        Job j = c.job();
        j = j.assign(ALPHA, clock.instant(), List.of()).job();
        j = j.start(clock.instant(), null).job();
        Job.Change done = j.succeed(clock.instant(), BigDecimal.ZERO);
        store.insert(done.job(), done.event());
        clock.advance(Duration.ofMillis(1));
        return done.job();
    }

    /** Applies the change, asserting the compare-and-set succeeds. */
    Job move(Job job, Job.Change c) {
        assertThat(store.update(c.job(), job.version(), c.event())).as("CAS of %s from version %d", job.id(), job.version())
                .isTrue();
        clock.advance(Duration.ofMillis(1));
        return c.job();
    }

    Job assigned(Job job, ProviderId provider) {
        return move(job, job.assign(provider, clock.instant(), List.of()));
    }

    Job accepted(Job job, String ref) {
        return move(job, job.accepted(ProviderJobRef.of(ref), clock.instant()));
    }

    Job running(Job job) {
        return move(job, job.start(clock.instant(), null));
    }

    Job succeeded(Job job) {
        return move(job, job.succeed(clock.instant(), BigDecimal.ZERO));
    }

    /** PENDING → ASSIGNED → RUNNING → SUCCEEDED on {@link #ALPHA}. */
    Job toSuccess(Job job) {
        return succeeded(running(assigned(job, ALPHA)));
    }

    static String json(Object value) {
        try {
            return CortexJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
