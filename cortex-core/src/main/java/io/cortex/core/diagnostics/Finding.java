package io.cortex.core.diagnostics;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.ReasonCode;

/**
 * One thing a diagnosis found.
 *
 * @param severity how bad
 * @param reason the reason code
 * @param provider the provider concerned, or null
 * @param message what was found, in plain words with the figures
 * @param suggestedAction what to do about it
 */
public record Finding(Severity severity, ReasonCode reason, String provider, String message, String suggestedAction) {
    /** How bad a finding is. */
    public enum Severity {
        /** Context. */
        INFO,
        /** Slows the job down or may stop it. */
        WARNING,
        /** Stops the job. */
        BLOCKING
    }

    /**
     * Validates.
     *
     * @throws NullPointerException when severity, reason, message or action is null
     */
    public Finding {
        Preconditions.notNull(severity, "severity");
        Preconditions.notNull(reason, "reason");
        Preconditions.notNull(message, "message");
        Preconditions.notNull(suggestedAction, "suggestedAction");
    }
}
