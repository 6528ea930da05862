package io.cortex.client;

import io.cortex.client.internal.Preconditions;
import java.time.Instant;

/**
 * Which operator log records {@link SystemApi#logs(LogQuery)} reads: start from {@link #all()} and
 * narrow down; what stays null is not filtered on.
 *
 * @param service only records of this engine service (e.g. {@code provider-monitor}), or null
 * @param provider only records about this provider, or null
 * @param job only records about this job, or null
 * @param level only records of this level or worse ({@code INFO}, {@code WARN}, {@code ERROR}), or null
 * @param since only records from this time on, or null
 * @param limit at most this many records, or null for the server's default
 */
public record LogQuery(String service, String provider, String job, String level, Instant since, Integer limit) {
    /**
     * Validates.
     *
     * @param service only records of this engine service (e.g. {@code provider-monitor}), or null
     * @param provider only records about this provider, or null
     * @param job only records about this job, or null
     * @param level only records of this level or worse ({@code INFO}, {@code WARN}, {@code ERROR}), or null
     * @param since only records from this time on, or null
     * @param limit at most this many records, or null for the server's default
     * @throws IllegalArgumentException when limit is below 1
     */
    public LogQuery {
        if (limit != null) {
            Preconditions.argument(limit >= 1, "limit must be at least 1, got %d", limit);
        }
    }

    /**
     * Every record, up to the server's default count.
     *
     * @return the unfiltered query
     */
    public static LogQuery all() {
        return new LogQuery(null, null, null, null, null, null);
    }

    /**
     * A copy limited to one engine service.
     *
     * @param value the service name
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     */
    public LogQuery withService(String value) {
        return new LogQuery(Preconditions.notNull(value, "service"), provider, job, level, since, limit);
    }

    /**
     * A copy limited to one provider.
     *
     * @param value the provider id
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     */
    public LogQuery withProvider(String value) {
        return new LogQuery(service, Preconditions.notNull(value, "provider"), job, level, since, limit);
    }

    /**
     * A copy limited to one job.
     *
     * @param value the job id
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     */
    public LogQuery withJob(String value) {
        return new LogQuery(service, provider, Preconditions.notNull(value, "job"), level, since, limit);
    }

    /**
     * A copy limited to a level or worse.
     *
     * @param value {@code INFO}, {@code WARN} or {@code ERROR}
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     */
    public LogQuery withLevel(String value) {
        return new LogQuery(service, provider, job, Preconditions.notNull(value, "level"), since, limit);
    }

    /**
     * A copy limited to records from a time on.
     *
     * @param value the earliest time
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     */
    public LogQuery withSince(Instant value) {
        return new LogQuery(service, provider, job, level, Preconditions.notNull(value, "since"), limit);
    }

    /**
     * A copy that reads at most {@code value} records.
     *
     * @param value at least 1
     * @return the copy
     * @throws IllegalArgumentException when {@code value} is below 1
     */
    public LogQuery withLimit(int value) {
        return new LogQuery(service, provider, job, level, since, value);
    }
}
