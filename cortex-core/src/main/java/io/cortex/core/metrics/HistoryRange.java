package io.cortex.core.metrics;

import io.cortex.core.util.Preconditions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The time ranges a chart asks for, each with the step its points are downsampled to.
 *
 * <table>
 *   <caption>Ranges</caption>
 *   <tr><th>range</th><th>wire name</th><th>step</th><th>points at most</th></tr>
 *   <tr><td>{@link #HOUR}</td><td>{@code 1h}</td><td>1 minute</td><td>60</td></tr>
 *   <tr><td>{@link #DAY}</td><td>{@code 24h}</td><td>15 minutes</td><td>96</td></tr>
 *   <tr><td>{@link #WEEK}</td><td>{@code 7d}</td><td>1 hour</td><td>168</td></tr>
 * </table>
 */
public enum HistoryRange {
    /** The last hour, by the minute. */
    HOUR("1h", Duration.ofHours(1), Duration.ofMinutes(1)),
    /** The last 24 hours, by the quarter hour. */
    DAY("24h", Duration.ofHours(24), Duration.ofMinutes(15)),
    /** The last 7 days, by the hour. */
    WEEK("7d", Duration.ofDays(7), Duration.ofHours(1));

    private final String wireName;
    private final Duration length;
    private final Duration step;

    HistoryRange(String wireName, Duration length, Duration step) {
        this.wireName = wireName;
        this.length = length;
        this.step = step;
    }

    /**
     * The name used over HTTP.
     *
     * @return {@code 1h}, {@code 24h} or {@code 7d}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * How far back the range reaches.
     *
     * @return the length
     */
    public Duration length() {
        return length;
    }

    /**
     * The width of one point.
     *
     * @return the step
     */
    public Duration step() {
        return step;
    }

    /**
     * The most points a series over this range holds.
     *
     * @return the length divided by the step
     */
    public int maxPoints() {
        return (int) (length.toMillis() / step.toMillis());
    }

    /**
     * The wire names of every range, shortest first.
     *
     * @return {@code [1h, 24h, 7d]}
     */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(HistoryRange::wireName).toList();
    }

    /**
     * The range with this wire name.
     *
     * @param text {@code 1h}, {@code 24h} or {@code 7d}
     * @return the range
     * @throws NullPointerException when {@code text} is null
     * @throws IllegalArgumentException when it names no range; the message lists the allowed names
     */
    public static HistoryRange parse(String text) {
        Preconditions.notNull(text, "range");
        for (HistoryRange r : values()) {
            if (r.wireName.equals(text.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("range '" + text + "' is not one of " + String.join(", ", wireNames()));
    }
}
