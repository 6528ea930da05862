package io.cortex.provider.inmemory;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.ReasonCode;
import java.util.List;

/**
 * What the in-memory provider does with a job it is scripted for.
 */
public final class Outcome {
    /** The kinds of outcome. */
    public enum Kind {
        /** Starts after the start delay and succeeds after the run duration. */
        SUCCEED,
        /** Starts, then fails after the run duration with an exit code (reason JOB_FAILED). */
        EXIT,
        /** Starts, then fails after the run duration with a reason. */
        FAIL,
        /** Accepts the job and never starts it. */
        HANG,
        /** Starts the job and never finishes it. */
        HANG_RUNNING,
        /** Refuses the job at submit with a reason. */
        REJECT,
        /** Starts, then loses the job after the run duration. */
        LOSE
    }

    private final Kind kind;
    private final ReasonCode reason;
    private final String message;
    private final int exitCode;
    private final List<String> logLines;

    private Outcome(Kind kind, ReasonCode reason, String message, int exitCode, List<String> logLines) {
        this.kind = kind;
        this.reason = reason;
        this.message = message;
        this.exitCode = exitCode;
        this.logLines = logLines;
    }

    /** Succeeds (the default). */
    public static Outcome succeed() {
        return new Outcome(Kind.SUCCEED, null, "", 0, List.of());
    }

    /**
     * Exits with a non-zero code after running.
     *
     * @throws IllegalArgumentException when {@code code} is 0
     */
    public static Outcome exit(int code, String message) {
        Preconditions.argument(code != 0, "an exit outcome needs a non-zero code; use succeed()");
        return new Outcome(Kind.EXIT, ReasonCode.JOB_FAILED, Preconditions.notNull(message, "message"), code, List.of());
    }

    /** Fails after running with {@code reason} (e.g. IMAGE_NOT_FOUND reported after a pull). */
    public static Outcome fail(ReasonCode reason, String message) {
        return new Outcome(Kind.FAIL, Preconditions.notNull(reason, "reason"), Preconditions.notNull(message, "message"), 1, List.of());
    }

    /** Accepts and never starts: the engine's stuck-pending detection must act. */
    public static Outcome hang() {
        return new Outcome(Kind.HANG, null, "", 0, List.of());
    }

    /** Starts and never finishes: max run time must act. */
    public static Outcome hangRunning() {
        return new Outcome(Kind.HANG_RUNNING, null, "", 0, List.of());
    }

    /** Refuses the job at submit with {@code reason}, e.g. PROVIDER_REJECTED, IMAGE_NOT_FOUND, NO_CAPACITY. */
    public static Outcome reject(ReasonCode reason, String message) {
        return new Outcome(Kind.REJECT, Preconditions.notNull(reason, "reason"), Preconditions.notNull(message, "message"), 0, List.of());
    }

    /** Starts, then reports the job lost after the run duration. */
    public static Outcome lose(String message) {
        return new Outcome(Kind.LOSE, ReasonCode.PROVIDER_LOST_JOB, Preconditions.notNull(message, "message"), 0, List.of());
    }

    /** A copy that also prints these lines (stdout) when the job starts. */
    public Outcome printing(String... lines) {
        return new Outcome(kind, reason, message, exitCode, List.of(lines));
    }

    /** The kind. */
    public Kind kind() {
        return kind;
    }

    /** The reason, for FAIL, EXIT, REJECT and LOSE. */
    public ReasonCode reason() {
        return reason;
    }

    /** The message. */
    public String message() {
        return message;
    }

    /** The exit code, for EXIT. */
    public int exitCode() {
        return exitCode;
    }

    /** Lines printed at start. */
    public List<String> logLines() {
        return logLines;
    }

    @Override
    public String toString() {
        return kind + (reason != null ? "(" + reason + (message.isEmpty() ? "" : ": " + message) + ")" : "");
    }
}
