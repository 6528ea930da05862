package io.cortex.store.jdbc.internal;

import io.cortex.core.util.Preconditions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts an embedded H2 file, a round at a time, on the store's upkeep thread, beside H2's own
 * background writer: H2's compaction gives up whenever its store lock is busy for 10 ms, which a
 * store committing all the time makes the rule. Each round rewrites the live pages of the emptiest
 * chunks (a bounded amount, for a bounded time, trying again while the lock is busy) so their space
 * is reused once H2's retention time has passed, then moves chunks towards the start of a file used
 * below half, so its end can be cut off. Uses H2's engine classes: when they are not what this code
 * expects, it says so once and stops.
 */
public final class H2Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    /** Chunks filled below this percentage are rewritten. */
    static final int TARGET_FILL_RATE = 80;
    /** At most this many bytes of live pages are rewritten per pass. */
    static final int WRITE_PER_PASS = 8 << 20;
    /** A file used below this percentage has chunks moved towards its start, so it can shrink. */
    static final int FILE_FILL_RATE = 50;
    /** A round stops after this long. */
    static final long ROUND_MILLIS = 200;

    private final DataSource pool;
    private volatile boolean disabled;

    /**
     * Compacts the database behind {@code pool} when {@link #round()} is called.
     *
     * @throws NullPointerException when {@code pool} is null
     */
    public H2Housekeeping(DataSource pool) {
        this.pool = Preconditions.notNull(pool, "pool");
    }

    /** One round of compaction; returns how many passes rewrote something. Never throws. */
    public int round() {
        if (disabled) {
            return 0;
        }
        try (Connection c = pool.getConnection()) {
            MVStore store = mvStore(c);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_MILLIS);
            int passes = 0;
            FileStore<?> file = store.getFileStore();
            // compact() gives up when H2's store lock is busy for 10 ms (a commit holds it): try again until done or
            // out of time, so a busy store is compacted too
            while (System.nanoTime() - until < 0 && file.getChunksFillRate() < TARGET_FILL_RATE) {
                if (store.compact(TARGET_FILL_RATE, WRITE_PER_PASS)) {
                    passes++;
                }
            }
            // then move chunks into the holes towards the start of the file, so its end can be cut off
            if (file instanceof RandomAccessStore random && random.getFillRate() < FILE_FILL_RATE) {
                random.compactMoveChunks(FILE_FILL_RATE, WRITE_PER_PASS, store);
                passes++;
            }
            return passes;
        } catch (SQLException e) {
            LOG.debug("H2 compaction skipped: {}", Errors.mask(e.getMessage()));
            return 0;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("H2 compaction is not possible with this H2 version ({}); the database file may grow until it is "
                    + "closed and reopened", e.toString());
            disabled = true;
            return 0;
        }
    }

    /** The MVStore under an H2 connection. */
    static MVStore mvStore(Connection c) throws SQLException {
        return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    }
}
