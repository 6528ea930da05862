package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.ReasonCode;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * A provider's report on one attempt.
 *
 * @param state where the attempt stands
 * @param reason why, for FAILED and LOST (null otherwise)
 * @param message human words, may be empty
 * @param exitCode the workload's exit code when known, else null
 * @param cost what the attempt cost so far when the provider knows, else null
 */
public record RemoteStatus(RemoteState state, ReasonCode reason, String message, Integer exitCode, BigDecimal cost) {
    private static final RemoteStatus QUEUED = new RemoteStatus(RemoteState.QUEUED, null, "", null, null);
    private static final RemoteStatus RUNNING = new RemoteStatus(RemoteState.RUNNING, null, "", null, null);
    private static final RemoteStatus SUCCEEDED = new RemoteStatus(RemoteState.SUCCEEDED, null, "", 0, null);

    /**
     * Validates.
     *
     * @throws NullPointerException when state or message is null
     */
    public RemoteStatus {
        Preconditions.notNull(state, "state");
        Preconditions.notNull(message, "message");
    }

    /** Accepted, not started. */
    public static RemoteStatus queued() {
        return QUEUED;
    }

    /** Running. */
    public static RemoteStatus running() {
        return RUNNING;
    }

    /** Finished with success. */
    public static RemoteStatus succeeded() {
        return SUCCEEDED;
    }

    /** Finished with failure for {@code reason}. */
    public static RemoteStatus failed(ReasonCode reason, String message) {
        return new RemoteStatus(RemoteState.FAILED, Preconditions.notNull(reason, "reason"), message, null, null);
    }

    /** Finished with failure and an exit code. */
    public static RemoteStatus exited(int exitCode, String message) {
        return exitCode == 0 ? SUCCEEDED
                : new RemoteStatus(RemoteState.FAILED, ReasonCode.JOB_FAILED, message, exitCode, null);
    }

    /** The provider lost the attempt. */
    public static RemoteStatus lost(String message) {
        return new RemoteStatus(RemoteState.LOST, ReasonCode.PROVIDER_LOST_JOB, message, null, null);
    }

    /** Cancelled. */
    public static RemoteStatus cancelled() {
        return new RemoteStatus(RemoteState.CANCELLED, ReasonCode.USER_REQUEST, "", null, null);
    }

    /** A copy carrying the attempt's cost. */
    public RemoteStatus withCost(BigDecimal value) {
        return new RemoteStatus(state, reason, message, exitCode, value);
    }

    /** The cost, if known. */
    public Optional<BigDecimal> costAmount() {
        return Optional.ofNullable(cost);
    }

    /** True for SUCCEEDED, FAILED, CANCELLED and LOST. */
    public boolean isFinal() {
        return state != RemoteState.QUEUED && state != RemoteState.RUNNING;
    }
}
