package io.cortex.core.store;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.util.Preconditions;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Where the engine keeps jobs, their history and the events still to publish.
 *
 * <p>Every write of a job is a compare-and-set on its version, and writes the job, its history
 * entry and the matching outbox entry atomically, so a crash between a transition and its
 * publication loses nothing. Implementations are thread-safe.
 *
 * <p>A store may be {@linkplain #isShared() shared} by several engines (one PostgreSQL database):
 * every transition stays a compare-and-set, so two engines never both move a job, and the work only
 * one engine may do at a time is guarded by {@linkplain #tryLease leases} that expire when their
 * holder stops renewing them. An engine drains the outbox of a shared store only while it holds the
 * {@value #OUTBOX_LEASE} lease. The lease methods have defaults for a store one engine owns, so such
 * a store implements none of them.
 */
public interface JobStore extends AutoCloseable {
    /** The lease an engine holds while it drains the outbox of a {@linkplain #isShared() shared} store. */
    String OUTBOX_LEASE = "outbox";
    /**
     * Stores a new job (version 1) with its first history entry.
     *
     * @throws IllegalStateException when a job with that id exists
     */
    void insert(Job job, JobEvent event);

    /** The job, if stored (finished jobs may have been dropped by retention). */
    Optional<Job> get(JobId id);

    /**
     * Replaces the job if its stored version is {@code expectedVersion}, appending {@code event} to its
     * history and to the outbox.
     *
     * @return false when the stored version differs (someone else moved the job) or the job is gone
     */
    boolean update(Job next, long expectedVersion, JobEvent event);

    /**
     * Stores a new job as the last of {@code changes}: its creation (version 1) and the changes the
     * engine made to it before anyone could see it (placed at once), each event appended in order to
     * the history and the outbox. A store whose writes cost a round trip overrides it to write them
     * together; the default inserts the first and applies the others one by one.
     *
     * @param changes successive changes of one job, the first its creation
     * @throws NullPointerException when {@code changes} or an element is null
     * @throws IllegalArgumentException when {@code changes} is empty, or its changes are not successive
     *     versions of one job starting at version 1
     * @throws IllegalStateException when a job with that id exists
     */
    default void insert(List<Job.Change> changes) {
        successive(0, changes);
        insert(changes.get(0).job(), changes.get(0).event());
        for (int i = 1; i < changes.size(); i++) {
            Job.Change c = changes.get(i);
            Preconditions.state(update(c.job(), c.job().version() - 1, c.event()),
                    "job %s changed while it was being inserted", c.job().id());
        }
    }

    /**
     * Applies successive changes of one job as one compare-and-set on {@code expectedVersion}: the job
     * becomes the last of them, each event appended in order to its history and the outbox. A store
     * whose writes cost a round trip overrides it to write them together; the default applies them one
     * by one with {@link #update(Job, long, JobEvent)}, so when another writer moves the job in between,
     * the changes before its move stay applied and false is returned.
     *
     * @param expectedVersion the version the first change was made from
     * @param changes successive changes of one job, versions {@code expectedVersion + 1} onwards
     * @return false when the stored version differs (someone else moved the job) or the job is gone
     * @throws NullPointerException when {@code changes} or an element is null
     * @throws IllegalArgumentException when {@code changes} is empty, or its changes are not successive
     *     versions of one job after {@code expectedVersion}
     */
    default boolean update(long expectedVersion, List<Job.Change> changes) {
        successive(expectedVersion, changes);
        for (Job.Change c : changes) {
            if (!update(c.job(), c.job().version() - 1, c.event())) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #update(long, List)} without making the caller wait for the write: the returned stage
     * completes with the outcome once it is known (true when applied, false when the stored version
     * differed or the job was gone), or exceptionally with the store's failure. A store whose writes
     * wait for a commit overrides it, so that the caller goes on while the write commits together with
     * others; the stage may then complete on another thread, so what depends on it must be quick. The
     * default writes at once and returns a completed stage. A write made this way is not undone when
     * the caller moves on: it commits or fails as any other.
     *
     * @throws NullPointerException when {@code changes} or an element is null
     * @throws IllegalArgumentException when {@code changes} is empty, or its changes are not successive
     *     versions of one job after {@code expectedVersion}
     * @throws IllegalStateException when the store is closed
     */
    default CompletionStage<Boolean> updateLater(long expectedVersion, List<Job.Change> changes) {
        successive(expectedVersion, changes);
        try {
            return CompletableFuture.completedFuture(update(expectedVersion, changes));
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Checks that {@code changes} are successive changes of one job after {@code expectedVersion}
     * (0 for a new job): each at the next version, with an event of that version. For stores that
     * implement {@link #insert(List)} and {@link #update(long, List)}.
     *
     * @return {@code changes}
     * @throws NullPointerException when {@code changes} or an element is null
     * @throws IllegalArgumentException when {@code changes} is empty or not successive
     */
    static List<Job.Change> successive(long expectedVersion, List<Job.Change> changes) {
        Preconditions.notNull(changes, "changes");
        Preconditions.argument(!changes.isEmpty(), "changes must not be empty");
        JobId id = Preconditions.notNull(changes.get(0), "changes[0]").job().id();
        for (int i = 0; i < changes.size(); i++) {
            Job.Change c = Preconditions.notNull(changes.get(i), "changes[" + i + "]");
            long version = expectedVersion + 1 + i;
            Preconditions.argument(c.job().id().equals(id), "changes[%d] is a change of job %s, not of %s", i, c.job().id(), id);
            Preconditions.argument(c.job().version() == version && c.event().version() == version,
                    "changes[%d] must be version %d of job %s, got job version %d with event version %d", i, version, id,
                    c.job().version(), c.event().version());
        }
        return changes;
    }

    /** Jobs matching the query, newest first. */
    Page<Job> query(JobQuery query);

    /** Jobs that are not finished (PENDING, ASSIGNED, RUNNING), in no particular order. */
    List<Job> activeJobs();

    /** The job's history, oldest first; empty when unknown. */
    List<JobEvent> events(JobId id);

    /** How many stored jobs are in each state. */
    Map<JobState, Long> countByState();

    /** Adds an event that is not a job change (provider events) to the outbox. */
    void publish(CortexEvent event);

    /**
     * Up to {@code limit} outbox entries not yet acknowledged, oldest first; a job's entries come in
     * the order of its versions. One consumer at a time reads the outbox. A store may claim the
     * entries it returns for the caller until {@link #acknowledge} or the next call (a shared store
     * locks them, so a second engine that drains at the same time skips them and the entries after
     * them of the same jobs).
     */
    List<OutboxEntry> outbox(int limit);

    /** Drops the outbox entries returned up to and including the one with {@code sequence}: they were published. */
    void acknowledge(long sequence);

    /** How many outbox entries wait to be published. */
    long outboxSize();

    /**
     * Hands up to {@code limit} outbox events, oldest first, to {@code sink} and acknowledges them;
     * returns how many. The default reads a batch with {@link #outbox}, hands each event over and
     * acknowledges the batch after the last one, so a crash in between publishes the batch again (at
     * least once). A store that loses its outbox with the process anyway (the in-memory store)
     * overrides it to take events without the batch and its second pass.
     *
     * @throws NullPointerException when {@code sink} is null
     */
    default int drainOutbox(int limit, Consumer<CortexEvent> sink) {
        Preconditions.notNull(sink, "sink");
        List<OutboxEntry> batch = outbox(limit);
        if (batch.isEmpty()) {
            return 0;
        }
        for (OutboxEntry e : batch) {
            sink.accept(e.event());
        }
        acknowledge(batch.get(batch.size() - 1).sequence());
        return batch.size();
    }

    /**
     * True when several engines may use this store at once (a shared database). The engine then
     * delivers events only while it holds the {@value #OUTBOX_LEASE} lease. Default: false, one engine
     * owns the store.
     */
    default boolean isShared() {
        return false;
    }

    /** How long a lease taken on this store lasts unless renewed. Default: 30 seconds. */
    default Duration leaseDuration() {
        return Duration.ofSeconds(30);
    }

    /**
     * Takes the lease {@code name} for {@code owner} until {@code ttl} from now, or renews it when
     * {@code owner} holds it already: a holder's heartbeat is its renewal. It is granted when nobody
     * holds the lease, when {@code owner} does, or when the holder let it expire.
     *
     * <p>Default: granted (a store one engine owns has nobody to exclude).
     *
     * @param name what the lease guards, e.g. {@value #OUTBOX_LEASE}
     * @param owner who asks: unique per engine
     * @param ttl how long the lease lasts without renewal
     * @return true when {@code owner} holds the lease for {@code ttl} from now
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when a name is blank or {@code ttl} is not positive
     */
    default boolean tryLease(String name, String owner, Duration ttl) {
        Preconditions.notBlank(name, "name");
        Preconditions.notBlank(owner, "owner");
        Preconditions.notNull(ttl, "ttl");
        Preconditions.argument(!ttl.isNegative() && !ttl.isZero(), "ttl must be positive, got %s", ttl);
        return true;
    }

    /**
     * Gives up the lease {@code name} if {@code owner} holds it, so another engine need not wait for
     * it to expire; does nothing otherwise. Default: nothing to give up.
     *
     * @throws NullPointerException when an argument is null
     */
    default void releaseLease(String name, String owner) {
        Preconditions.notNull(name, "name");
        Preconditions.notNull(owner, "owner");
    }

    /**
     * Who holds the lease {@code name}, if anyone holds it unexpired. Default: empty (a store one
     * engine owns keeps no leases).
     *
     * @throws NullPointerException when {@code name} is null
     */
    default Optional<Lease> lease(String name) {
        Preconditions.notNull(name, "name");
        return Optional.empty();
    }

    /** A one-line description for health reports, e.g. {@code "in-memory, 1234 jobs"}. */
    String describe();

    /** Releases resources. */
    @Override
    default void close() {}
}
