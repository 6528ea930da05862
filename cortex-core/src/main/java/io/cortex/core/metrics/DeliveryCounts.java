package io.cortex.core.metrics;

import io.cortex.core.util.Preconditions;

/**
 * Webhook deliveries by how they ended: running totals when a delivery source reports them, counts
 * within one interval or step in a {@link MetricsSample}.
 *
 * @param succeeded deliveries that succeeded (each is one successful attempt)
 * @param failed attempts that failed, retries included: an endpoint that is down shows at once,
 *     not only when its retry schedule runs out
 */
public record DeliveryCounts(long succeeded, long failed) {
    /** No delivery at all. */
    public static final DeliveryCounts NONE = new DeliveryCounts(0, 0);

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a count is negative
     */
    public DeliveryCounts {
        Preconditions.argument(succeeded >= 0, "succeeded must not be negative, got %d", succeeded);
        Preconditions.argument(failed >= 0, "failed must not be negative, got %d", failed);
    }

    /**
     * The sum of both counts.
     *
     * @param other the counts to add
     * @return the sums
     * @throws NullPointerException when {@code other} is null
     */
    public DeliveryCounts plus(DeliveryCounts other) {
        Preconditions.notNull(other, "other");
        return new DeliveryCounts(succeeded + other.succeeded, failed + other.failed);
    }

    /**
     * What happened since {@code earlier}, for running totals; a count that went down (its source was
     * reset) counts from zero.
     *
     * @param earlier the totals read before
     * @return the increase of each count, never negative
     * @throws NullPointerException when {@code earlier} is null
     */
    public DeliveryCounts since(DeliveryCounts earlier) {
        Preconditions.notNull(earlier, "earlier");
        return new DeliveryCounts(increase(earlier.succeeded, succeeded), increase(earlier.failed, failed));
    }

    private static long increase(long before, long now) {
        return now >= before ? now - before : now;
    }
}
