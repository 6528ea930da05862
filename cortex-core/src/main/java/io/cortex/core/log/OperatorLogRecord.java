package io.cortex.core.log;

import java.time.Instant;

/**
 * One structured record of the operator log.
 *
 * @param sequence increasing; a cursor
 * @param timestamp when
 * @param level {@code INFO}, {@code WARN} or {@code ERROR}
 * @param service the engine service that wrote it, e.g. {@code provider-monitor}, {@code provider-auth}
 * @param provider the provider concerned, or null
 * @param jobId the job concerned, or null
 * @param reason a reason code name, or null
 * @param message human words (never a secret)
 */
public record OperatorLogRecord(long sequence, Instant timestamp, Level level, String service, String provider,
        String jobId, String reason, String message) {
    /** Severity. */
    public enum Level {
        /** Normal operation worth seeing. */
        INFO,
        /** Something went wrong and Cortex handled it. */
        WARN,
        /** Something went wrong that needs a person. */
        ERROR
    }
}
