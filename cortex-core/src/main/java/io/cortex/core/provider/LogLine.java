package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import java.time.Instant;

/**
 * One line a job printed.
 *
 * @param sequence position in the job's log, from 0; a cursor to resume after
 * @param timestamp when the provider saw it
 * @param stream {@code stdout} or {@code stderr} (or a provider's own name)
 * @param text the line, without its line break
 */
public record LogLine(long sequence, Instant timestamp, String stream, String text) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a field is null
     */
    public LogLine {
        Preconditions.notNull(timestamp, "timestamp");
        Preconditions.notNull(stream, "stream");
        Preconditions.notNull(text, "text");
    }
}
