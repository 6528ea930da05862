package io.cortex.store.jdbc.internal;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.util.Preconditions;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One change waiting for its commit in a {@link GroupCommit}: a new job, a compare-and-set update
 * of a job, or an event for the outbox alone, with everything the statements bind (the documents
 * already written as JSON by the caller's thread). The group commit sets its outcome once the
 * transaction holding it committed or failed, and wakes the caller.
 */
public final class Write {
    /** What the change is. */
    public enum Kind {
        /** A new job with its first history entry, labels and outbox row. */
        INSERT,
        /** A compare-and-set of a job on its version, with its history entry and outbox row. */
        UPDATE,
        /** An outbox row alone (a provider event). */
        PUBLISH,
        /** Nothing: a transaction for the group commit's prelude alone. */
        FLUSH
    }

    /** What became of the change. */
    public enum Outcome {
        /** Not committed yet. */
        PENDING,
        /** Committed. */
        APPLIED,
        /** Committed as a no-op: the job already existed (insert) or had another version (update). */
        REFUSED,
        /** A statement or the commit failed: {@link #error()} says why. */
        FAILED
    }

    final Kind kind;
    final Job job;
    final long expectedVersion;
    final JobEvent event;
    final CortexEvent published;
    final String jobDoc;
    final String eventDoc;
    final String outboxDoc;
    final boolean writeLabels;
    final Thread waiter = Thread.currentThread();

    /** Set by the statements while the transaction runs; final once {@link #done} is true. */
    Outcome pendingOutcome = Outcome.PENDING;
    private SQLException error;
    private volatile boolean done;

    private Write(Kind kind, Job job, long expectedVersion, JobEvent event, CortexEvent published, String jobDoc,
            String eventDoc, String outboxDoc, boolean writeLabels) {
        this.kind = kind;
        this.job = job;
        this.expectedVersion = expectedVersion;
        this.event = event;
        this.published = kind == Kind.FLUSH ? published : Preconditions.notNull(published, "published");
        this.jobDoc = jobDoc;
        this.eventDoc = eventDoc;
        this.outboxDoc = kind == Kind.FLUSH ? outboxDoc : Preconditions.notNull(outboxDoc, "outboxDoc");
        this.writeLabels = writeLabels;
    }

    /** A new job: its row, labels, first history entry and outbox row. */
    public static Write insert(Job job, JobEvent event, CortexEvent published, String jobDoc, String eventDoc,
            String outboxDoc) {
        return new Write(Kind.INSERT, Preconditions.notNull(job, "job"), 0, Preconditions.notNull(event, "event"), published,
                Preconditions.notNull(jobDoc, "jobDoc"), Preconditions.notNull(eventDoc, "eventDoc"), outboxDoc,
                !job.spec().labels().isEmpty());
    }

    /**
     * A compare-and-set from {@code expectedVersion} to {@code next}; {@code replaceLabels} when the
     * change may have touched the spec.
     */
    public static Write update(Job next, long expectedVersion, JobEvent event, CortexEvent published, String jobDoc,
            String eventDoc, String outboxDoc, boolean replaceLabels) {
        return new Write(Kind.UPDATE, Preconditions.notNull(next, "next"), expectedVersion,
                Preconditions.notNull(event, "event"), published, Preconditions.notNull(jobDoc, "jobDoc"),
                Preconditions.notNull(eventDoc, "eventDoc"), outboxDoc, replaceLabels);
    }

    /** An outbox row alone. */
    public static Write publish(CortexEvent published, String outboxDoc) {
        return new Write(Kind.PUBLISH, null, 0, null, published, null, null, outboxDoc, false);
    }

    /** No change: a transaction that runs the group commit's prelude alone. */
    public static Write flush() {
        return new Write(Kind.FLUSH, null, 0, null, null, null, null, null, false);
    }

    /** What the change is. */
    public Kind kind() {
        return kind;
    }

    /** The job's id, or null for an outbox row alone. */
    String jobId() {
        return job == null ? null : job.id().value();
    }

    /** The event it adds to the outbox, or null for {@link Kind#FLUSH}. */
    public CortexEvent published() {
        return published;
    }

    /** The job's document as written, or null. */
    public String jobDocument() {
        return jobDoc;
    }

    /** The outbox row's document as written, or null. */
    public String outboxDocument() {
        return outboxDoc;
    }

    /** The job it writes, or null for an outbox row alone. */
    public Job job() {
        return job;
    }

    /**
     * Whether it applied: final once {@link #isDone()}; a hook of the group commit that sees it after
     * the commit and before the caller is woken may ask too.
     */
    public boolean applied() {
        return pendingOutcome == Outcome.APPLIED;
    }

    /** Whether the group commit is done with it: its outcome is final. */
    public boolean isDone() {
        return done;
    }

    /** The outcome; {@link Outcome#PENDING} until {@link #isDone()}. */
    public Outcome outcome() {
        return done ? pendingOutcome : Outcome.PENDING;
    }

    /** Why it failed, when {@link Outcome#FAILED}. */
    public SQLException error() {
        return error;
    }

    void fail(SQLException e) {
        pendingOutcome = Outcome.FAILED;
        error = e;
    }

    /** Publishes the outcome to the waiting caller (the volatile write orders the fields before it). */
    void finish() {
        done = true;
    }

    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return "Write[" + kind + (job != null ? " " + job.id() + " v" + job.version() : published != null ? " " + published.id() : "")
                + "]";
    }
}
