package io.cortex.provider.inmemory;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import io.cortex.core.store.InMemoryJobStore;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.OutboxEntry;
import io.cortex.core.store.Page;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory store with a hook: a one-shot action runs just before a chosen read of a job, so a test
 * driven by hand can put "another thread" between two reads of one engine operation, deterministically.
 */
final class InterleavingJobStore implements JobStore {
    private final InMemoryJobStore delegate;
    private JobId target;
    private int readsToSkip;
    private Runnable action;

    InterleavingJobStore(Clock clock) {
        this.delegate = new InMemoryJobStore(10_000, Duration.ofHours(24), clock);
    }

    /** Runs {@code what} once, just before read number {@code n + 1} (from now) of job {@code id}. */
    synchronized void beforeRead(JobId id, int n, Runnable what) {
        this.target = id;
        this.readsToSkip = n;
        this.action = what;
    }

    @Override
    public Optional<Job> get(JobId id) {
        Runnable run = null;
        synchronized (this) {
            if (action != null && id.equals(target) && readsToSkip-- == 0) {
                run = action;
                action = null;
            }
        }
        if (run != null) {
            run.run();
        }
        return delegate.get(id);
    }

    @Override
    public void insert(Job job, JobEvent event) {
        delegate.insert(job, event);
    }

    @Override
    public boolean update(Job next, long expectedVersion, JobEvent event) {
        return delegate.update(next, expectedVersion, event);
    }

    @Override
    public Page<Job> query(JobQuery query) {
        return delegate.query(query);
    }

    @Override
    public List<Job> activeJobs() {
        return delegate.activeJobs();
    }

    @Override
    public List<JobEvent> events(JobId id) {
        return delegate.events(id);
    }

    @Override
    public Map<JobState, Long> countByState() {
        return delegate.countByState();
    }

    @Override
    public void publish(CortexEvent event) {
        delegate.publish(event);
    }

    @Override
    public List<OutboxEntry> outbox(int limit) {
        return delegate.outbox(limit);
    }

    @Override
    public void acknowledge(long sequence) {
        delegate.acknowledge(sequence);
    }

    @Override
    public long outboxSize() {
        return delegate.outboxSize();
    }

    @Override
    public String describe() {
        return "interleaving " + delegate.describe();
    }
}
