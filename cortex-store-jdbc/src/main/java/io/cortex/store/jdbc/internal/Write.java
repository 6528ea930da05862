package io.cortex.store.jdbc.internal;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.util.Preconditions;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;

/**
 * One change waiting for its commit in a {@link GroupCommit}: a new job, a compare-and-set update
 * of a job, or an event for the outbox alone, with everything the statements bind (the documents
 * already written as JSON by the caller's thread). The group commit sets its outcome once the
 * transaction holding it committed or failed, and wakes the caller (or, for a write its caller did not
 * wait for, runs what the caller asked to run then).
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

    /**
     * One event a change adds: its history entry (null for an outbox row alone) and its outbox row,
     * with their documents. A change of several steps (a job stored with the moves made before it was
     * stored, or started and finished at once) writes its job row once, at the last step's version.
     */
    public record Step(JobEvent event, CortexEvent published, String eventDoc, String outboxDoc) {
        /** Checks the parts the statements bind. */
        public Step {
            Preconditions.notNull(published, "published");
            Preconditions.notNull(outboxDoc, "outboxDoc");
            Preconditions.argument((event == null) == (eventDoc == null), "a step has an event with its document, or neither");
        }
    }

    final Kind kind;
    final Job job;
    final long expectedVersion;
    /** The events it adds, oldest first: one for a single change, none for {@link Kind#FLUSH}. */
    final List<Step> steps;
    final String jobDoc;
    final boolean writeLabels;
    /** The thread to wake when it is done: its caller, or the group commit's own writer for a write nobody waits for. */
    Thread waiter = Thread.currentThread();
    /** What runs on the leader's thread once it is done, for a write nobody waits for; else null. */
    Consumer<Write> then;

    /** Set by the statements while the transaction runs; final once {@link #done} is true. */
    Outcome pendingOutcome = Outcome.PENDING;
    private SQLException error;
    private volatile boolean done;

    private Write(Kind kind, Job job, long expectedVersion, List<Step> steps, String jobDoc, boolean writeLabels) {
        this.kind = kind;
        this.job = job;
        this.expectedVersion = expectedVersion;
        this.steps = steps;
        this.jobDoc = jobDoc;
        this.writeLabels = writeLabels;
    }

    /** A new job: its row (at the last step's version), labels, history entries and outbox rows. */
    public static Write insert(Job job, String jobDoc, List<Step> steps) {
        Preconditions.notNull(job, "job");
        return new Write(Kind.INSERT, job, 0, events(steps), Preconditions.notNull(jobDoc, "jobDoc"), !job.spec().labels().isEmpty());
    }

    /**
     * A compare-and-set from {@code expectedVersion} to {@code next} (the last step's version);
     * {@code replaceLabels} when the change may have touched the spec.
     */
    public static Write update(Job next, long expectedVersion, String jobDoc, List<Step> steps, boolean replaceLabels) {
        Preconditions.notNull(next, "next");
        return new Write(Kind.UPDATE, next, expectedVersion, events(steps), Preconditions.notNull(jobDoc, "jobDoc"), replaceLabels);
    }

    /** An outbox row alone. */
    public static Write publish(CortexEvent published, String outboxDoc) {
        return new Write(Kind.PUBLISH, null, 0, List.of(new Step(null, published, null, outboxDoc)), null, false);
    }

    /** No change: a transaction that runs the group commit's prelude alone. */
    public static Write flush() {
        return new Write(Kind.FLUSH, null, 0, List.of(), null, false);
    }

    private static List<Step> events(List<Step> steps) {
        Preconditions.notNull(steps, "steps");
        Preconditions.argument(!steps.isEmpty(), "a change of a job has at least one step");
        for (Step step : steps) {
            Preconditions.argument(step.event() != null, "every step of a job's change has its history event");
        }
        return steps;
    }

    /** What the change is. */
    public Kind kind() {
        return kind;
    }

    /** The job's id, or null for an outbox row alone. */
    String jobId() {
        return job == null ? null : job.id().value();
    }

    /** The events it adds, oldest first (none for {@link Kind#FLUSH}). */
    public List<Step> steps() {
        return steps;
    }

    /** The job's document as written (at the last step's version), or null. */
    public String jobDocument() {
        return jobDoc;
    }

    /** The version a compare-and-set expects; 0 for other kinds. */
    public long expectedVersion() {
        return expectedVersion;
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
        String what = job != null ? " " + job.id() + " v" + job.version() : steps.isEmpty() ? "" : " " + steps.get(0).published().id();
        return "Write[" + kind + what + "]";
    }
}
