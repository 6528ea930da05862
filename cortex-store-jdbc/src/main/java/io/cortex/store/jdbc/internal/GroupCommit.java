package io.cortex.store.jdbc.internal;

import io.cortex.core.util.Preconditions;
import io.cortex.core.util.Threads;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits concurrent writes together: each caller queues its {@link Write} and waits; a caller that
 * finds a free writer slot becomes the leader, takes every queued write (up to a limit), runs them
 * in one transaction with JDBC batches, commits once, then sets each write's outcome and wakes its
 * caller. While a leader waits for its commit (PostgreSQL's fsync), new writes queue up and go
 * into the next transaction together: the commits per write fall as the callers multiply, and a
 * lone caller leads its own write with no hand-off to another thread.
 *
 * <p><b>Writes nobody waits for.</b> {@link #runLater} queues a write and returns at once; it goes
 * into the next transaction like any other, and what its caller asked to run with the outcome runs on
 * the leader's thread. When no caller of {@link #run} is there to lead it, the group commit's own
 * writer thread (started with the first such write) does.
 *
 * <p><b>Durability.</b> A caller of {@link #run} returns only after the transaction holding its write
 * committed (for {@link #runLater}: the caller's {@code then} runs only then), or
 * with the error that prevented it. <b>Isolation of failures.</b> When a statement of the batch
 * fails, the transaction is rolled back and the writes are run again one by one, each under a
 * savepoint: a write whose statement fails again gets that error, the others commit (on PostgreSQL
 * an error aborts the whole transaction, which the savepoints contain). A compare-and-set that finds
 * another version is not an error: it is {@link Write.Outcome#REFUSED}, alone.
 *
 * <p><b>Lock order.</b> A batch touches its jobs in the order of their ids, so two engines' batches
 * on one database wait for each other's row locks but never deadlock; should the database still
 * report a deadlock or a serialization failure, the write is retried.
 */
public final class GroupCommit {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** How long a waiting caller parks before it looks again (wake-ups are normally explicit). */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int RETRIES = 3;
    private static final Comparator<Write> LOCK_ORDER = Comparator.comparing(Write::jobId,
            Comparator.nullsLast(Comparator.naturalOrder()));

    /** The statements of a batch, per database. */
    public interface Statements {
        /**
         * Runs the writes' statements in the open transaction of {@code c} (autocommit off), setting
         * each write's outcome to applied or refused; commits nothing.
         *
         * @throws SQLException when any statement fails (the caller then rolls back)
         */
        void execute(Connection c, List<Write> batch, SlowQueryLog slow) throws SQLException;

        /**
         * Runs after each commit, before the writers are woken: what makes the commit durable where the
         * commit alone does not. Default: nothing.
         *
         * @throws SQLException when it fails (logged: the transaction is committed all the same)
         */
        default void afterCommit(Connection c, SlowQueryLog slow) throws SQLException {}
    }

    /** What runs first in each transaction of the group commit. */
    public interface Prelude {
        /**
         * Runs its statements in the open transaction of {@code c}.
         *
         * @return what to undo in its own bookkeeping when the transaction does not commit, or null
         * @throws SQLException when a statement fails (the batch then runs one by one, without it)
         */
        Runnable run(Connection c) throws SQLException;
    }

    private final DataSource pool;
    private final Statements statements;
    private final Prelude prelude;
    private final Consumer<Write> committedHook;
    private final SlowQueryLog slow;
    private final int maxBatch;
    private final Semaphore leaders;
    private final ConcurrentLinkedQueue<Write> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder begun = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder committed = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final AtomicInteger largest = new AtomicInteger();
    /** Writes queued by {@link #runLater} and not yet done. */
    private final AtomicInteger unawaited = new AtomicInteger();
    private final String name;
    private volatile Thread writer;
    private volatile boolean closing;

    /**
     * A group commit named {@code name} (its writer thread's name) on connections of {@code pool}, at most {@code writers} transactions at a time,
     * each of at most {@code maxBatch} writes; {@code prelude} runs first in each. {@code committed}
     * sees each write that committed (applied or refused), in commit order, before its caller is woken.
     *
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when a limit is below 1
     */
    public GroupCommit(String name, DataSource pool, Statements statements, Prelude prelude, SlowQueryLog slow, int writers,
            int maxBatch, Consumer<Write> committed) {
        this.name = Preconditions.notNull(name, "name");
        this.pool = Preconditions.notNull(pool, "pool");
        this.statements = Preconditions.notNull(statements, "statements");
        this.prelude = Preconditions.notNull(prelude, "prelude");
        this.committedHook = Preconditions.notNull(committed, "committed");
        this.slow = Preconditions.notNull(slow, "slow");
        Preconditions.argument(writers >= 1, "writers must be at least 1, got %d", writers);
        Preconditions.argument(maxBatch >= 1, "maxBatch must be at least 1, got %d", maxBatch);
        this.leaders = new Semaphore(writers);
        this.maxBatch = maxBatch;
    }

    /**
     * Queues the write and returns once it is committed or failed ({@link Write#outcome()}). Not
     * interruptible: a write may be in a transaction already, so the caller waits for its outcome
     * (one commit's time) and finds its interrupt flag set again afterwards.
     */
    public void run(Write w) {
        queued.incrementAndGet();
        queue.add(w);
        boolean interrupted = false;
        while (!w.isDone()) {
            if (leaders.tryAcquire()) {
                try {
                    if (!w.isDone()) {
                        lead();
                    }
                } finally {
                    leaders.release();
                }
                handOver();
            } else {
                LockSupport.parkNanos(this, PARK_NANOS);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Queues the write and returns at once. Once it is committed or failed, {@code then} runs with it on
     * the thread that led its transaction (a caller of {@link #run}, or this group commit's writer
     * thread): it must be quick, and must not wait for a write of this group commit.
     *
     * @throws NullPointerException when an argument is null
     * @throws IllegalStateException when the group commit is closed
     */
    public void runLater(Write w, Consumer<Write> then) {
        Preconditions.notNull(w, "write");
        Preconditions.notNull(then, "then");
        Preconditions.state(!closing, "the group commit is closed");
        Thread t = writerThread();
        w.waiter = t;
        w.then = then;
        unawaited.incrementAndGet();
        queued.incrementAndGet();
        queue.add(w);
        if (leaders.availablePermits() > 0) { // else the leader now running hands over when it is done
            LockSupport.unpark(t);
        }
    }

    /**
     * Takes no more writes for {@link #runLater} and waits up to {@code timeoutMillis} for those queued to
     * be done; returns how many are not.
     */
    public int close(long timeoutMillis) {
        closing = true;
        Thread t = writer;
        if (t != null) {
            Threads.wakeAndJoin(t, timeoutMillis);
        }
        return unawaited.get();
    }

    private Thread writerThread() {
        Thread t = writer;
        if (t == null) {
            synchronized (this) {
                t = writer;
                if (t == null) {
                    t = new Thread(this::writeUnawaited, name + "-writer");
                    t.setDaemon(true);
                    t.start();
                    writer = t;
                }
            }
        }
        return t;
    }

    /** The writer thread: leads while writes nobody waits for are queued, parks while there are none. */
    private void writeUnawaited() {
        while (true) {
            if (unawaited.get() == 0) {
                if (closing) {
                    return;
                }
                LockSupport.park(this);
            } else if (!queue.isEmpty() && leaders.tryAcquire()) {
                try {
                    lead();
                } finally {
                    leaders.release();
                }
                handOver();
            } else {
                LockSupport.parkNanos(this, PARK_NANOS); // a leader holds them, or is about to
            }
        }
    }

    /** Wakes whoever queued first, to lead the writes that queued meanwhile. */
    private void handOver() {
        Write next = queue.peek();
        if (next != null) {
            LockSupport.unpark(next.waiter);
        }
    }

    private void lead() {
        List<Write> batch = new ArrayList<>(Math.min(maxBatch, Math.max(1, queued.get())));
        Write w;
        while (batch.size() < maxBatch && (w = queue.poll()) != null) {
            batch.add(w);
        }
        if (batch.isEmpty()) {
            return; // another leader took them
        }
        queued.addAndGet(-batch.size());
        begun.increment();
        largest.accumulateAndGet(batch.size(), Math::max);
        execute(batch);
        Thread me = Thread.currentThread();
        for (Write x : batch) {
            x.finish();
            if (x.then != null) {
                unawaited.decrementAndGet();
                try {
                    x.then.accept(x);
                } catch (RuntimeException e) {
                    LOG.warn("after {} was done: {}", x, e.toString(), e);
                }
            } else if (x.waiter != me) {
                LockSupport.unpark(x.waiter);
            }
        }
    }

    private void execute(List<Write> batch) {
        if (batch.size() > 1) {
            batch.sort(LOCK_ORDER); // stable: one job's writes keep their order
        }
        Connection c = null;
        Runnable undo = null;
        try {
            c = pool.getConnection();
            c.setAutoCommit(false);
            try {
                undo = prelude.run(c);
                statements.execute(c, batch, slow);
            } catch (SQLException e) {
                rollback(c);
                if (undo != null) {
                    undo.run();
                    undo = null;
                }
                if (isConnectionLost(e)) {
                    throw e;
                }
                fallbacks.increment();
                LOG.debug("a batch of {} writes failed ({}); running them one by one", batch.size(), Errors.mask(e.getMessage()));
                oneByOne(c, batch);
            }
            commit(c);
            undo = null;
            try {
                statements.afterCommit(c, slow);
            } catch (SQLException e) {
                LOG.warn("after a commit: {} (the commit stands)", Errors.mask(e.getMessage()));
            }
            transactions.increment();
            for (Write x : batch) {
                if (x.pendingOutcome != Write.Outcome.FAILED) {
                    committed.increment();
                    try {
                        committedHook.accept(x);
                    } catch (RuntimeException e) { // committed is committed: the hook's failure is not the write's
                        LOG.warn("after committing {}: {}", x, e.toString(), e);
                    }
                }
            }
        } catch (SQLException e) {
            if (c != null) {
                rollback(c);
            }
            if (undo != null) {
                undo.run();
            }
            for (Write x : batch) {
                x.fail(e); // the transaction did not commit (or its fate is unknown): none of it counts as done
            }
        } catch (RuntimeException | Error e) {
            if (c != null) {
                rollback(c);
            }
            if (undo != null) {
                undo.run();
            }
            SQLException wrapped = new SQLException("writing failed: " + e, e);
            for (Write x : batch) {
                x.fail(wrapped);
            }
            if (e instanceof Error err) {
                throw err;
            }
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.debug("closing a connection failed", e);
                }
            }
        }
    }

    /** Runs each write under a savepoint; a write whose statement fails gets the error, alone. */
    private void oneByOne(Connection c, List<Write> batch) throws SQLException {
        for (Write w : batch) {
            for (int attempt = 1; ; attempt++) {
                w.pendingOutcome = Write.Outcome.PENDING;
                Savepoint sp = c.setSavepoint();
                try {
                    statements.execute(c, List.of(w), slow);
                    c.releaseSavepoint(sp);
                    break;
                } catch (SQLException e) {
                    c.rollback(sp);
                    if (isConnectionLost(e)) {
                        throw e;
                    }
                    if (isTransient(e) && attempt < RETRIES) {
                        continue;
                    }
                    w.fail(e);
                    break;
                }
            }
        }
    }

    private void commit(Connection c) throws SQLException {
        long start = System.nanoTime();
        try {
            c.commit();
            slow.record("COMMIT", start, null);
        } catch (SQLException e) {
            slow.record("COMMIT", start, e);
            throw e;
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed (the connection is probably broken)", e);
        }
    }

    /** The connection is gone: its transaction with it. */
    static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException
                || (state != null && (state.startsWith("08") || state.startsWith("57P"))); // 57P: the server ended it
    }

    /** A deadlock or serialization failure: trying again may succeed. */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    /** Batches a leader took from the queue so far (committed, failed or still running). */
    public long batchesBegun() {
        return begun.sum();
    }

    /** Transactions committed so far. */
    public long transactions() {
        return transactions.sum();
    }

    /** Writes committed so far (applied or refused). */
    public long committedWrites() {
        return committed.sum();
    }

    /** Batches that had to be run again one by one because a statement failed. */
    public long fallbacks() {
        return fallbacks.sum();
    }

    /** The most writes one transaction held. */
    public int largestBatch() {
        return largest.get();
    }

    /** Writes queued by {@link #runLater} that are not done yet. */
    public int unawaited() {
        return unawaited.get();
    }

    /** Writes waiting for a leader now. */
    public int queued() {
        return queued.get();
    }
}
