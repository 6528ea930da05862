package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.ReasonCode;

/**
 * A provider call failed, with a reason code that tells the engine what to do next (try another
 * provider, refresh credentials, fail the job). Messages must never contain secrets.
 */
public class ProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ReasonCode reason;

    /** A failure for {@code reason} with a human message. */
    public ProviderException(ReasonCode reason, String message) {
        super(Preconditions.notNull(reason, "reason") + ": " + message);
        this.reason = reason;
    }

    /** A failure for {@code reason} with a human message and a cause. */
    public ProviderException(ReasonCode reason, String message, Throwable cause) {
        super(Preconditions.notNull(reason, "reason") + ": " + message, cause);
        this.reason = reason;
    }

    /** Why the call failed. */
    public ReasonCode reason() {
        return reason;
    }
}
