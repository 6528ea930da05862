package io.cortex.core.job;

/** Thrown when a job is asked to move along a path the state table does not allow. */
public final class IllegalJobTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final JobId jobId;
    private final JobState from;
    private final JobState to;

    /** A refused move of {@code jobId} from {@code from} to {@code to}. */
    public IllegalJobTransitionException(JobId jobId, JobState from, JobState to) {
        super("job " + jobId + " cannot move from " + from + " to " + to + "; from " + from + " it may move to "
                + (from.next().isEmpty() ? "nothing (final state)" : from.next()));
        this.jobId = jobId;
        this.from = from;
        this.to = to;
    }

    /** The job. */
    public JobId jobId() {
        return jobId;
    }

    /** The state it was in. */
    public JobState from() {
        return from;
    }

    /** The state it was asked to move to. */
    public JobState to() {
        return to;
    }
}
