package io.cortex.core.store;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the engine keeps jobs, their history and the events still to publish.
 *
 * <p>Every write of a job is a compare-and-set on its version, and writes the job, its history
 * entry and the matching outbox entry atomically, so a crash between a transition and its
 * publication loses nothing. Implementations are thread-safe.
 */
public interface JobStore extends AutoCloseable {
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
     * the order of its versions. One consumer at a time reads the outbox.
     */
    List<OutboxEntry> outbox(int limit);

    /** Drops the outbox entries returned up to and including the one with {@code sequence}: they were published. */
    void acknowledge(long sequence);

    /** How many outbox entries wait to be published. */
    long outboxSize();

    /** A one-line description for health reports, e.g. {@code "in-memory, 1234 jobs"}. */
    String describe();

    /** Releases resources. */
    @Override
    default void close() {}
}
