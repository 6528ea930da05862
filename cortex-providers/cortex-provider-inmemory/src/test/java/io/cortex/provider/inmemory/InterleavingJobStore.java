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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The in-memory store with hooks: a one-shot action runs just before a chosen read of a job, or just
 * before the first update matching a test, so a test driven by hand can put "another thread" (or another
 * engine on the same database) between two steps of one engine operation, deterministically. It counts
 * the reads of each job, and implements only the single-change writes (the SPI's defaults do the rest), so
 * the engine treats it as a store whose every call is a round trip.
 */
final class InterleavingJobStore implements JobStore {
    private final InMemoryJobStore delegate;
    private final Map<JobId, Integer> reads = new ConcurrentHashMap<>();
    private JobId target;
    private int readsToSkip;
    private Runnable action;
    private Predicate<Job> updateTest;
    private Runnable updateAction;
    private boolean holdWritesLater;
    private final Deque<Held> held = new ArrayDeque<>();

    /** A write made with {@link #updateLater} that waits for the test to let it commit or fail. */
    private record Held(long expectedVersion, List<Job.Change> changes, CompletableFuture<Boolean> outcome) {}

    InterleavingJobStore(Clock clock) {
        this.delegate = new InMemoryJobStore(10_000, Duration.ofHours(24), clock);
    }

    /** Runs {@code what} once, just before read number {@code n + 1} (from now) of job {@code id}. */
    synchronized void beforeRead(JobId id, int n, Runnable what) {
        this.target = id;
        this.readsToSkip = n;
        this.action = what;
    }

    /** Runs {@code what} once, just before the first update to a job matching {@code next}. */
    synchronized void beforeUpdate(Predicate<Job> next, Runnable what) {
        this.updateTest = next;
        this.updateAction = what;
    }

    /**
     * From now on, writes made with {@link #updateLater} wait, as a write queued for a database's next
     * commit does, until {@link #commitHeld} or {@link #failHeld}.
     */
    synchronized void holdWritesLater() {
        holdWritesLater = true;
    }

    /** How many writes made with {@link #updateLater} wait. */
    synchronized int held() {
        return held.size();
    }

    /** Commits the oldest waiting write (on the calling thread, as a database's writer thread would). */
    void commitHeld() {
        Held h;
        synchronized (this) {
            h = held.remove();
        }
        h.outcome().complete(update(h.expectedVersion(), h.changes()));
    }

    /** Fails the oldest waiting write with {@code error}, writing nothing. */
    void failHeld(RuntimeException error) {
        Held h;
        synchronized (this) {
            h = held.remove();
        }
        h.outcome().completeExceptionally(error);
    }

    @Override
    public CompletionStage<Boolean> updateLater(long expectedVersion, List<Job.Change> changes) {
        synchronized (this) {
            if (holdWritesLater) {
                Held h = new Held(expectedVersion, JobStore.successive(expectedVersion, changes), new CompletableFuture<>());
                held.add(h);
                return h.outcome();
            }
        }
        return JobStore.super.updateLater(expectedVersion, changes);
    }

    /** How many times job {@code id} was read. */
    int reads(JobId id) {
        return reads.getOrDefault(id, 0);
    }

    /** Writes {@code c} as another engine sharing the database would: past this store's hooks. */
    boolean write(Job.Change c) {
        return delegate.update(c.job(), c.job().version() - 1, c.event());
    }

    @Override
    public Optional<Job> get(JobId id) {
        reads.merge(id, 1, Integer::sum);
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
        Runnable run = null;
        synchronized (this) {
            if (updateAction != null && updateTest.test(next)) {
                run = updateAction;
                updateAction = null;
            }
        }
        if (run != null) {
            run.run();
        }
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
