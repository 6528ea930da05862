package io.cortex.store.jdbc.internal;

import io.cortex.core.util.Preconditions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts an embedded H2 file now and then. With commits written at once ({@code WRITE_DELAY=0})
 * H2's background writer does not run, and nothing rewrites the chunks that later commits left
 * mostly empty: without this the file grows by a few tens of kilobytes per commit. Each round
 * rewrites the live pages of the emptiest chunks (a bounded amount, for a bounded time) so their
 * space is reused. Uses H2's engine classes: when they are not what this code expects, it says so
 * once and stops.
 */
public final class H2Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    /** Chunks filled below this percentage are rewritten. */
    static final int TARGET_FILL_RATE = 80;
    /** At most this many bytes of live pages are rewritten per pass. */
    static final int WRITE_PER_PASS = 8 << 20;
    /** A round stops after this long. */
    static final long ROUND_MILLIS = 200;

    private final DataSource pool;
    private final ScheduledExecutorService timer;

    /**
     * Starts compacting the database behind {@code pool} every {@code every}.
     *
     * @throws NullPointerException when an argument is null
     */
    public H2Housekeeping(DataSource pool, Duration every, String name) {
        this.pool = Preconditions.notNull(pool, "pool");
        Preconditions.notNull(every, "every");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, every.toMillis());
        timer.scheduleWithFixedDelay(this::round, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One round of compaction; returns how many passes rewrote something. */
    public int round() {
        try (Connection c = pool.getConnection()) {
            MVStore store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_MILLIS);
            int passes = 0;
            while (System.nanoTime() - until < 0 && store.compact(TARGET_FILL_RATE, WRITE_PER_PASS)) {
                passes++;
            }
            return passes;
        } catch (SQLException e) {
            LOG.debug("H2 compaction skipped: {}", e.getMessage());
            return 0;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("H2 compaction is not possible with this H2 version ({}); the database file may grow until it is "
                    + "closed and reopened", e.toString());
            timer.shutdown();
            return 0;
        }
    }

    /** Stops compacting (a round in progress finishes). */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
