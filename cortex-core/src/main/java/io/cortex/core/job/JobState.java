package io.cortex.core.job;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of a job, and the one table of allowed transitions between them.
 *
 * <pre>
 * PENDING  → ASSIGNED   a provider accepted the job
 * PENDING  → FAILED     invalid for every provider, retry budget spent
 * ASSIGNED → RUNNING    the provider started it
 * ASSIGNED → PENDING    stuck, provider offline, auth or wallet failure: try another provider
 * ASSIGNED → FAILED     rejected and no attempt left
 * RUNNING  → SUCCEEDED / FAILED   the provider reports the outcome
 * RUNNING  → PENDING    provider lost mid-run and the job's policy allows a rerun
 * FAILED   → PENDING    explicit resubmit
 * PENDING, ASSIGNED, RUNNING → CANCELLED
 * </pre>
 */
public enum JobState {
    /** Waiting for a provider. */
    PENDING,
    /** A provider accepted the job and has not started it yet. */
    ASSIGNED,
    /** The provider runs the job. */
    RUNNING,
    /** Finished with success. Terminal. */
    SUCCEEDED,
    /** Finished without success; may be resubmitted. */
    FAILED,
    /** Cancelled on request. Terminal. */
    CANCELLED;

    private static final Map<JobState, Set<JobState>> ALLOWED = new EnumMap<>(JobState.class);

    static {
        ALLOWED.put(PENDING, Collections.unmodifiableSet(EnumSet.of(ASSIGNED, FAILED, CANCELLED)));
        ALLOWED.put(ASSIGNED, Collections.unmodifiableSet(EnumSet.of(RUNNING, PENDING, FAILED, CANCELLED)));
        ALLOWED.put(RUNNING, Collections.unmodifiableSet(EnumSet.of(SUCCEEDED, FAILED, PENDING, CANCELLED)));
        ALLOWED.put(SUCCEEDED, Collections.unmodifiableSet(EnumSet.noneOf(JobState.class)));
        ALLOWED.put(FAILED, Collections.unmodifiableSet(EnumSet.of(PENDING)));
        ALLOWED.put(CANCELLED, Collections.unmodifiableSet(EnumSet.noneOf(JobState.class)));
    }

    /** True when the table allows a move from {@code from} to {@code to}. */
    public static boolean isAllowed(JobState from, JobState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** The states this state may move to. */
    public Set<JobState> next() {
        return ALLOWED.get(this);
    }

    /** True for a state the job leaves only by an explicit resubmit, or never: SUCCEEDED, FAILED, CANCELLED. */
    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** True while the job sits on a provider: ASSIGNED or RUNNING. */
    public boolean isOnProvider() {
        return this == ASSIGNED || this == RUNNING;
    }

    /** The lower-case name used in JSON and in the operator guide, e.g. {@code "pending"}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
