package io.cortex.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A counter that several threads write often and few read: each thread adds to a stripe of its own,
 * on a cache line of its own, so two threads counting on two cores never bounce one line between
 * them. {@link #sum()} adds the stripes up.
 *
 * <p>Unlike {@link java.util.concurrent.atomic.LongAdder}, which spreads threads over cells only
 * after their compare-and-set <em>failed</em> (two threads that take turns on one cell never fail,
 * and pay a cache miss on every add instead), a thread's stripe is given once, round robin: the
 * first {@value #STRIPES} threads that count get one each, later ones share.
 */
public final class StripedCounter {
    private static final int STRIPES = 16;
    /** Longs between two stripes: 128 bytes, two cache lines (the adjacent-line prefetcher pairs them). */
    private static final int SPACING = 16;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final AtomicInteger NEXT_STRIPE = new AtomicInteger();
    private static final ThreadLocal<int[]> STRIPE =
            ThreadLocal.withInitial(() -> new int[] {(1 + (NEXT_STRIPE.getAndIncrement() & (STRIPES - 1))) * SPACING});

    /** One slot of padding before the first stripe and after the last. */
    private final long[] cells = new long[(STRIPES + 2) * SPACING];

    /** Adds {@code delta} (may be negative). */
    public void add(long delta) {
        CELLS.getAndAdd(cells, STRIPE.get()[0], delta);
    }

    /** Adds one. */
    public void increment() {
        add(1);
    }

    /** Takes one away. */
    public void decrement() {
        add(-1);
    }

    /** The count: exact when no thread writes meanwhile, else somewhere between the values before and after. */
    public long sum() {
        long s = 0;
        for (int i = SPACING; i < cells.length - SPACING; i += SPACING) {
            s += (long) CELLS.getVolatile(cells, i);
        }
        return s;
    }

    /** {@link #sum()} as an int. */
    public int intValue() {
        return (int) sum();
    }

    @Override
    public String toString() {
        return Long.toString(sum());
    }
}
