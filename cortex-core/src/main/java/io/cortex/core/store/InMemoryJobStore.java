package io.cortex.core.store;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.internal.StripedCounter;
import io.cortex.core.util.Preconditions;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The default store: everything in memory, nothing survives the JVM. Memory stays bounded in a
 * long-running process: finished jobs (with their history) are kept up to a count and an age, then
 * dropped, oldest first; an event stays in the outbox until it is published.
 */
public final class InMemoryJobStore implements JobStore {
    /** Finished jobs kept when the builder does not say. */
    public static final int DEFAULT_RETAINED_FINISHED = 10_000;
    /** How long finished jobs are kept when the builder does not say. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

    private static final class Entry {
        volatile Job job;
        ArrayList<JobEvent> events = new ArrayList<>(6);

        Entry(Job job) {
            this.job = job;
        }
    }

    private final ConcurrentHashMap<JobId, Entry> jobs = new ConcurrentHashMap<>();
    /**
     * Finished jobs in the order they finished, oldest at {@code finishedHead}: a ring of entries and their
     * finish times (no object per finished job), grown as needed, guarded by {@code finishedLock}.
     */
    private final Object finishedLock = new Object();
    private Entry[] finished = new Entry[64];
    private long[] finishedAt = new long[64];
    private int finishedHead;
    private int finishedCount;
    /**
     * Events to publish, oldest first; the n-th event ever added has outbox sequence n (see {@link #outbox}).
     * An element is a {@link CortexEvent}, or the {@code List<Job.Change>} of one write of several changes:
     * one queue node per write, and the events are built by the one consumer as it takes them (see
     * {@link #eventAt}). {@link #headTaken} of the head element's events are taken already.
     */
    private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>();
    /** Events of the outbox's head element taken already (always 0 for a single event); the consumer's own. */
    private int headTaken;
    /** Events ever added to the outbox: written by every writer (striped per thread, so two writers do not contend). */
    private final StripedCounter outboxAdded = new StripedCounter();
    /**
     * Events taken off the outbox so far (published). Written only by the one consumer, once per batch: a
     * counter both sides wrote on every event would bounce its cache line between their cores.
     */
    private volatile long outboxTaken;
    private final EnumMap<JobState, StripedCounter> counts = new EnumMap<>(JobState.class);
    private final int retainedFinished;
    private final Duration retention;
    private final Clock clock;

    /** A store with the default retention (10,000 finished jobs, 24 hours). */
    public InMemoryJobStore() {
        this(DEFAULT_RETAINED_FINISHED, DEFAULT_RETENTION, Clock.systemUTC());
    }

    /**
     * A store that keeps at most {@code retainedFinished} finished jobs, none older than {@code retention}.
     *
     * @throws IllegalArgumentException when a limit is negative
     */
    public InMemoryJobStore(int retainedFinished, Duration retention, Clock clock) {
        Preconditions.argument(retainedFinished >= 0, "retainedFinished must not be negative, got %d", retainedFinished);
        Preconditions.notNull(retention, "retention");
        Preconditions.argument(!retention.isNegative(), "retention must not be negative, got %s", retention);
        this.retainedFinished = retainedFinished;
        this.retention = retention;
        this.clock = Preconditions.notNull(clock, "clock");
        for (JobState s : JobState.values()) {
            counts.put(s, new StripedCounter());
        }
    }

    @Override
    public void insert(Job job, JobEvent event) {
        Preconditions.notNull(job, "job");
        Entry entry = new Entry(job);
        // locked before it is visible: a change another thread makes to the new job at once must queue its
        // event behind this first one (a writer descheduled between publishing and queueing let versions 2..n
        // reach the outbox before version 1)
        synchronized (entry) {
            Preconditions.state(jobs.putIfAbsent(job.id(), entry) == null, "job %s already exists", job.id());
            entry.events.add(event);
            appendOutbox(CortexEvent.of(job, event));
        }
        counts.get(job.state()).increment();
    }

    /** Stores the new job as the last of {@code changes}, with all their events, at once. */
    @Override
    public void insert(List<Job.Change> changes) {
        JobStore.successive(0, changes);
        changes = List.copyOf(changes); // queued as they are: the caller must not change them later (no copy when immutable)
        Job last = changes.get(changes.size() - 1).job();
        Entry entry = new Entry(last);
        synchronized (entry) {
            Preconditions.state(jobs.putIfAbsent(last.id(), entry) == null, "job %s already exists", last.id());
            for (Job.Change c : changes) {
                entry.events.add(c.event());
            }
            appendOutbox(changes);
        }
        counts.get(last.state()).increment();
        if (last.state().isFinished()) {
            finished(entry, last.updatedAt().toEpochMilli());
        }
    }

    @Override
    public Optional<Job> get(JobId id) {
        Entry e = jobs.get(id);
        return e == null ? Optional.empty() : Optional.of(e.job);
    }

    @Override
    public boolean update(Job next, long expectedVersion, JobEvent event) {
        Entry entry = jobs.get(next.id());
        if (entry == null) {
            return false;
        }
        JobState before;
        synchronized (entry) {
            Job current = entry.job;
            if (current.version() != expectedVersion) {
                return false;
            }
            before = current.state();
            entry.job = next;
            entry.events.add(event);
            appendOutbox(CortexEvent.of(next, event));
        }
        moved(entry, before, next);
        return true;
    }

    /** Applies the successive {@code changes} as one compare-and-set: all of them or, on a clash, none. */
    @Override
    public boolean update(long expectedVersion, List<Job.Change> changes) {
        JobStore.successive(expectedVersion, changes);
        changes = List.copyOf(changes); // queued as they are (no copy when immutable)
        Job last = changes.get(changes.size() - 1).job();
        Entry entry = jobs.get(last.id());
        if (entry == null) {
            return false;
        }
        JobState before;
        synchronized (entry) {
            Job current = entry.job;
            if (current.version() != expectedVersion) {
                return false;
            }
            before = current.state();
            entry.job = last;
            for (Job.Change c : changes) {
                entry.events.add(c.event());
            }
            appendOutbox(changes);
        }
        moved(entry, before, last);
        return true;
    }

    /** Counts a job that moved from {@code before} to {@code next}'s state; records it finished when it did. */
    private void moved(Entry entry, JobState before, Job next) {
        JobState after = next.state();
        if (before != after) {
            counts.get(before).decrement();
            counts.get(after).increment();
            if (after.isFinished()) {
                finished(entry, next.updatedAt().toEpochMilli());
            }
        }
    }

    private void appendOutbox(CortexEvent event) {
        outbox.add(event);
        outboxAdded.increment();
    }

    /** Queues the events of one write of several changes as one element. */
    private void appendOutbox(List<Job.Change> changes) {
        outbox.add(changes);
        outboxAdded.add(changes.size());
    }

    /** How many events an outbox element holds. */
    private static int eventCount(Object element) {
        return element instanceof CortexEvent ? 1 : ((List<?>) element).size();
    }

    /** The {@code i}-th event of an outbox element. */
    @SuppressWarnings("unchecked")
    private static CortexEvent eventAt(Object element, int i) {
        if (element instanceof CortexEvent e) {
            return e;
        }
        Job.Change c = ((List<Job.Change>) element).get(i);
        return CortexEvent.of(c.job(), c.event());
    }

    /** Records that {@code entry}'s job finished at {@code atMillis} (now), and drops what retention no longer keeps. */
    private void finished(Entry entry, long atMillis) {
        evict(entry, atMillis);
    }

    /** Drops finished jobs beyond the retained count or older than the retention age, oldest first. */
    private void evict() {
        evict(null, clock.millis());
    }

    /**
     * Appends {@code appended} (when not null) to the finished ring, then takes the oldest finished jobs off
     * it while there are more than the retained count or they are older than the retention age at
     * {@code nowMillis}; each is dropped outside the ring's lock. In steady state one lock round appends
     * one job and takes one.
     */
    private void evict(Entry appended, long nowMillis) {
        long oldest = nowMillis - retention.toMillis();
        Entry pending = appended;
        while (true) {
            Entry victim = null;
            boolean more;
            synchronized (finishedLock) {
                if (pending != null) {
                    if (finishedCount == finished.length) {
                        grow();
                    }
                    int tail = (finishedHead + finishedCount) & (finished.length - 1);
                    finished[tail] = pending;
                    finishedAt[tail] = nowMillis;
                    finishedCount++;
                    pending = null;
                }
                if (finishedCount > retainedFinished || (finishedCount > 0 && finishedAt[finishedHead] < oldest)) {
                    victim = pollFinished();
                }
                more = finishedCount > retainedFinished || (finishedCount > 0 && finishedAt[finishedHead] < oldest);
            }
            if (victim != null) {
                drop(victim);
            }
            if (!more) {
                return;
            }
        }
    }

    private void grow() {
        int n = finished.length;
        Entry[] entries = new Entry[n * 2];
        long[] at = new long[n * 2];
        for (int i = 0; i < finishedCount; i++) {
            int from = (finishedHead + i) & (n - 1);
            entries[i] = finished[from];
            at[i] = finishedAt[from];
        }
        finished = entries;
        finishedAt = at;
        finishedHead = 0;
    }

    /** The oldest finished entry, taken off the ring; the caller holds the ring's lock and knows it is not empty. */
    private Entry pollFinished() {
        Entry e = finished[finishedHead];
        finished[finishedHead] = null;
        finishedHead = (finishedHead + 1) & (finished.length - 1);
        finishedCount--;
        return e;
    }

    /** Removes a finished job and its history, unless it was resubmitted meanwhile (it is active again). */
    private void drop(Entry e) {
        synchronized (e) {
            Job j = e.job;
            if (j.state().isFinished() && jobs.remove(j.id(), e)) {
                counts.get(j.state()).decrement();
            }
        }
    }


    @Override
    public Page<Job> query(JobQuery query) {
        evict(); // age-based retention applies also while no job finishes
        List<Job> matches = new ArrayList<>();
        for (Entry e : jobs.values()) {
            Job j = e.job;
            if (!query.states().isEmpty() && !query.states().contains(j.state())) {
                continue;
            }
            if (query.provider() != null && !j.provider().map(query.provider()::equals).orElse(false)) {
                continue;
            }
            if (!query.labels().isEmpty() && !j.spec().labels().entrySet().containsAll(query.labels().entrySet())) {
                continue;
            }
            matches.add(j);
        }
        matches.sort(Comparator.comparing(Job::createdAt).thenComparing(Job::id).reversed());
        int from = Math.min(query.offset(), matches.size());
        int to = Math.min(from + query.limit(), matches.size());
        return new Page<>(matches.subList(from, to), query.offset(), query.limit(), matches.size());
    }

    @Override
    public List<Job> activeJobs() {
        evict(); // the scheduler asks on every pass: finished jobs past the retention age go as the clock advances
        // a walk over every retained job: cheaper than keeping a second map of the active ones up to date on
        // every submit and finish (the walk runs once per scheduler pass; retention bounds the finished jobs)
        List<Job> out = new ArrayList<>((int) Math.min(Integer.MAX_VALUE, activeCount()));
        for (Entry e : jobs.values()) {
            Job j = e.job;
            if (!j.state().isFinished()) {
                out.add(j);
            }
        }
        return out;
    }

    @Override
    public List<JobEvent> events(JobId id) {
        Entry e = jobs.get(id);
        if (e == null) {
            return List.of();
        }
        synchronized (e) {
            return List.copyOf(e.events);
        }
    }

    @Override
    public Map<JobState, Long> countByState() {
        Map<JobState, Long> out = new EnumMap<>(JobState.class);
        counts.forEach((s, n) -> out.put(s, Math.max(0, n.sum())));
        return out;
    }

    @Override
    public void publish(CortexEvent event) {
        appendOutbox(Preconditions.notNull(event, "event"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sequences are positions: the n-th event ever added to this store's outbox has sequence n.
     */
    @Override
    public List<OutboxEntry> outbox(int limit) {
        if (outboxSize() == 0) {
            return List.of();
        }
        long next = outboxTaken + 1;
        List<OutboxEntry> out = new ArrayList<>(Math.min(limit, 64));
        int skip = headTaken;
        for (Object element : outbox) {
            for (int i = skip, n = eventCount(element); i < n && out.size() < limit; i++) {
                out.add(new OutboxEntry(next++, eventAt(element, i)));
            }
            if (out.size() >= limit) {
                break;
            }
            skip = 0;
        }
        return out;
    }

    @Override
    public void acknowledge(long sequenceNumber) {
        long taken = outboxTaken;
        Object head;
        while (taken < sequenceNumber && (head = outbox.peek()) != null) {
            int left = eventCount(head) - headTaken;
            if (sequenceNumber - taken < left) { // part of a write's events
                headTaken += (int) (sequenceNumber - taken);
                taken = sequenceNumber;
            } else {
                outbox.poll();
                headTaken = 0;
                taken += left;
            }
        }
        outboxTaken = taken;
    }

    /** Takes events off the queue as it hands them over: no batch, no second pass (nothing here outlives the process). */
    @Override
    public int drainOutbox(int limit, Consumer<CortexEvent> sink) {
        Preconditions.notNull(sink, "sink");
        int n = 0;
        Object head;
        try {
            while (n < limit && (head = outbox.peek()) != null) {
                int count = eventCount(head);
                while (headTaken < count && n < limit) {
                    CortexEvent e = eventAt(head, headTaken++); // taken before it is handed over, as a polled one
                    n++;
                    sink.accept(e);
                }
                if (headTaken == count) {
                    outbox.poll();
                    headTaken = 0;
                }
            }
        } finally {
            outboxTaken += n; // the one consumer: no lost update
        }
        return n;
    }

    @Override
    public long outboxSize() {
        // an event is queued before it is counted, so this never counts one that cannot be taken yet
        return Math.max(0, outboxAdded.sum() - outboxTaken);
    }

    @Override
    public String describe() {
        return "in-memory (" + jobs.size() + " jobs, " + activeCount() + " active, " + outboxSize() + " events to publish)";
    }

    private long activeCount() {
        long n = 0;
        for (JobState s : JobState.values()) {
            if (!s.isFinished()) {
                n += Math.max(0, counts.get(s).sum());
            }
        }
        return n;
    }
}
