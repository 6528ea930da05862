package io.cortex.store.jdbc.internal;

import io.cortex.core.job.Job;
import io.cortex.core.util.Preconditions;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unfinished jobs a store wrote, as it last committed them, for a store that is the only writer
 * of its database (an embedded H2 file): the engine reads a job several times per change, and
 * those reads then cost no query and no JSON parsing. It is filled only by committed writes (in
 * commit order, by the group commit's leader, before the writer is woken), never by reads, so it
 * can never go back to an older version; a finished job leaves it (retention may drop it from the
 * database), and so does a job whose compare-and-set was refused. Bounded: beyond its capacity new
 * jobs are simply not cached.
 */
public final class JobCache {
    private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
    private final int capacity;

    /**
     * A cache of at most {@code capacity} jobs.
     *
     * @throws IllegalArgumentException when {@code capacity} is negative
     */
    public JobCache(int capacity) {
        Preconditions.argument(capacity >= 0, "capacity must not be negative, got %d", capacity);
        this.capacity = capacity;
    }

    /** The job as this store last committed it, or null when not cached. */
    public Job get(String id) {
        return jobs.get(id);
    }

    /** Records a committed write of {@code job}. */
    public void committed(Job job) {
        String id = job.id().value();
        if (job.state().isFinished()) {
            jobs.remove(id);
            return;
        }
        if (jobs.size() >= capacity && !jobs.containsKey(id)) {
            return;
        }
        jobs.merge(id, job, (old, now) -> now.version() > old.version() ? now : old);
    }

    /** Forgets the job: the next read goes to the database. */
    public void forget(String id) {
        jobs.remove(id);
    }

    /** Forgets every job. */
    public void clear() {
        jobs.clear();
    }

    /** How many jobs it holds. */
    public int size() {
        return jobs.size();
    }
}
