package io.cortex.store.jdbc.internal;

import io.cortex.core.job.Job;
import io.cortex.core.util.Preconditions;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs a store wrote, as it last committed them: the engine reads a job several times per
 * change, and those reads then cost no query. It is filled only by committed writes (in commit
 * order, by the group commit's leader, before the writer is woken), never by reads, so it never goes
 * back to an older version; a job whose compare-and-set was refused (someone else wrote a newer one)
 * leaves it.
 *
 * <p>For a store that is its database's only writer, an unfinished job is the truth until the store
 * writes it again. On a database other engines share, another engine may change the job after this
 * store wrote it: an entry is then answered only for {@code ttl} after the write; so is a finished job
 * everywhere, since retention may drop it from the database.
 * A compare-and-set always goes to the database, so a stale read costs a refused write and a fresh
 * read, never a wrong change. Bounded: when full, it forgets everything and starts over.
 */
public final class JobCache {
    private record Entry(Job job, long atNanos, boolean expires) {}

    private final ConcurrentHashMap<String, Entry> jobs = new ConcurrentHashMap<>();
    private final int capacity;
    private final long ttlNanos;

    private final boolean onlyWriter;

    /**
     * A cache of at most {@code capacity} jobs. On a store that is its database's {@code onlyWriter},
     * an unfinished job is answered until written again; otherwise, and for a finished job everywhere
     * (retention may drop it), for {@code ttlNanos} after its write.
     *
     * @throws IllegalArgumentException when a limit is negative
     */
    public JobCache(int capacity, long ttlNanos, boolean onlyWriter) {
        Preconditions.argument(capacity >= 0, "capacity must not be negative, got %d", capacity);
        Preconditions.argument(ttlNanos >= 0, "ttl must not be negative, got %d ns", ttlNanos);
        this.capacity = capacity;
        this.ttlNanos = ttlNanos;
        this.onlyWriter = onlyWriter;
    }

    /** The job as this store last committed it, or null when not cached (or no longer answered). */
    public Job get(String id) {
        Entry e = jobs.get(id);
        if (e == null) {
            return null;
        }
        if (e.expires && System.nanoTime() - e.atNanos > ttlNanos) {
            jobs.remove(id, e);
            return null;
        }
        return e.job;
    }

    /** Records a committed write of {@code job}. */
    public void committed(Job job) {
        String id = job.id().value();
        boolean expires = !onlyWriter || job.state().isFinished();
        if (capacity == 0 || (expires && ttlNanos == 0)) {
            jobs.remove(id);
            return;
        }
        if (jobs.size() >= capacity && !jobs.containsKey(id)) {
            jobs.clear(); // the jobs in flight matter: start over rather than keep the oldest for ever
        }
        Entry now = new Entry(job, System.nanoTime(), expires);
        jobs.merge(id, now, (old, fresh) -> fresh.job.version() > old.job.version() ? fresh : old);
    }

    /** Forgets every finished job (retention dropped some from the database). */
    public void forgetFinished() {
        jobs.values().removeIf(e -> e.job.state().isFinished());
    }

    /** Forgets the job: the next read goes to the database. */
    public void forget(String id) {
        jobs.remove(id);
    }

    /** How many jobs it holds. */
    public int size() {
        return jobs.size();
    }
}
