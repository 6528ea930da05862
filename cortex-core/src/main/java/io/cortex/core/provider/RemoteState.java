package io.cortex.core.provider;

/** Where a provider says one attempt stands. */
public enum RemoteState {
    /** Accepted, not started. */
    QUEUED,
    /** Running. */
    RUNNING,
    /** Finished with success. */
    SUCCEEDED,
    /** Finished with failure. */
    FAILED,
    /** Cancelled. */
    CANCELLED,
    /** The provider no longer knows the attempt (lost, evicted, node died). */
    LOST
}
