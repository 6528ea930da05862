package io.cortex.core.internal;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.CortexListener;
import io.cortex.core.store.JobStore;
import io.cortex.core.util.Threads;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the store's outbox to the listeners, in outbox order (so in version order for each job).
 * Either on its own thread ({@link #start()}) or inline ({@link #drain()}) when the engine is
 * driven by hand.
 *
 * <p>On a {@linkplain JobStore#isShared() shared} store several engines could drain one outbox: the
 * pump delivers only while its engine holds the {@value JobStore#OUTBOX_LEASE} lease, renews it (its
 * heartbeat) every third of the lease duration, and, refused, asks again after as long; a dead
 * engine's lease expires and another engine's pump takes over.
 *
 * <p>The pump's thread also runs the engine's {@linkplain #execute tasks}: work handed over by the
 * threads that call the engine (a provider's status reports), so that a submitting thread and this
 * one split a job's lifecycle between two cores instead of the submitter doing all of it.
 */
public final class EventPump {
    private static final Logger LOG = LoggerFactory.getLogger(EventPump.class);
    private static final int BATCH = 512;
    /**
     * Tasks the pump's thread runs before it looks at the outbox again: a steady stream of tasks must
     * starve neither the delivery of events nor the outbox lease's heartbeat.
     */
    private static final int TASKS_PER_PASS = 256;
    /** How long an idle pump spins on the outbox size before it yields (see {@link #loop}). */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** How long an idle pump yields before it parks. */
    private static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final JobStore store;
    private final List<CortexListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean sleeping;
    private volatile long delivered;
    private final String owner = "engine-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean leaseHeld;
    private long leaseDueAt = System.nanoTime(); // when the lease is renewed (held) or asked for again (not held)
    private long leaseHeldAt; // when the lease was last taken or renewed
    /** Tasks for the pump's thread, oldest first; run by one thread at a time ({@link #taskRunner}). */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ReentrantLock taskRunner = new ReentrantLock();

    public EventPump(JobStore store) {
        this.store = store;
    }

    public void add(CortexListener listener) {
        listeners.add(listener);
    }

    public boolean remove(CortexListener listener) {
        return listeners.remove(listener);
    }

    public long delivered() {
        return delivered;
    }

    /** Wakes the pump thread if it sleeps: cheap enough to call after every write. */
    public void wake() {
        if (sleeping) {
            sleeping = false; // only the first writer after the pump fell asleep pays for the unpark
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }


    /**
     * Runs {@code task} on the pump's thread, after the tasks handed over before it; on the calling
     * thread when the pump has no thread (driven by hand, stopped). Tasks run one at a time, in the
     * order given, whichever thread runs them; a task's failure is logged and the next one runs.
     */
    public void execute(Runnable task) {
        tasks.add(task);
        if (running) {
            wake();
            if (running) {
                return;
            }
        }
        // no thread, or it stopped meanwhile (its last pass may have run before this task was queued)
        runTasks();
    }

    /** Runs the tasks handed over so far (and those they hand over); returns how many ran. */
    int runTasks() {
        return runTasks(Integer.MAX_VALUE);
    }

    /** Runs at most {@code max} of the tasks handed over so far (and those they hand over); returns how many ran. */
    private int runTasks(int max) {
        if (tasks.isEmpty()) {
            return 0;
        }
        int n = 0;
        taskRunner.lock();
        try {
            Runnable task;
            while (n < max && (task = tasks.poll()) != null) {
                n++;
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("an engine task failed on the event thread; the next one runs", e);
                }
            }
        } finally {
            taskRunner.unlock();
        }
        return n;
    }

    /** Who this pump is when it takes the outbox lease of a shared store. */
    public String owner() {
        return owner;
    }

    /**
     * Delivers everything in the outbox now, on the calling thread; returns how many events. On a
     * shared store, delivers nothing unless this engine holds the outbox lease.
     */
    public synchronized int drain() {
        int total = 0;
        while (true) {
            if (!mayDrain()) {
                return total;
            }
            int n = store.drainOutbox(BATCH, store.isShared() ? deliverRenewing : deliver);
            if (n == 0) {
                return total;
            }
            total += n;
            delivered += n;
        }
    }

    /** True when the store is not shared, or this engine holds (took, renewed) the outbox lease. */
    private boolean mayDrain() {
        if (!store.isShared()) {
            return true;
        }
        long now = System.nanoTime();
        if (now - leaseDueAt < 0) {
            return leaseHeld;
        }
        return renewLease(now);
    }

    /** Takes or renews the outbox lease now; returns whether this engine holds it. */
    private boolean renewLease(long now) {
        Duration ttl = store.leaseDuration();
        boolean held;
        try {
            held = store.tryLease(JobStore.OUTBOX_LEASE, owner, ttl);
        } catch (RuntimeException e) {
            LOG.warn("the outbox lease could not be taken or renewed; not delivering until it is", e);
            held = false;
        }
        leaseDueAt = now + Math.max(1, ttl.toNanos() / 3);
        if (held && !leaseHeld) {
            LOG.info("{} took the outbox lease: this engine delivers events", owner);
        } else if (!held && leaseHeld) { // its heartbeat came too late (or failed): say how late, which is the cause
            LOG.info("{} does not hold the outbox lease any more (renewed {} ms ago, lease {} ms): another engine delivers events",
                    owner, TimeUnit.NANOSECONDS.toMillis(now - leaseHeldAt), ttl.toMillis());
        }
        if (held) {
            leaseHeldAt = now;
        }
        leaseHeld = held;
        return held;
    }

    /** Gives the outbox lease up, if held, so another engine need not wait for it to expire. */
    private synchronized void releaseLease() {
        if (leaseHeld) {
            leaseHeld = false;
            leaseDueAt = System.nanoTime();
            try {
                store.releaseLease(JobStore.OUTBOX_LEASE, owner);
            } catch (RuntimeException e) {
                LOG.warn("the outbox lease could not be released; it expires on its own", e);
            }
        }
    }

    private final Consumer<CortexEvent> deliver = this::deliver;
    /**
     * Delivers from a shared store, renewing the lease when its heartbeat is due: a batch whose
     * listeners are slow (a receiver taking seconds) must not outlast the lease, or it passes to another
     * engine while this one still delivers. The batch's rows are claimed, so it is delivered in full.
     */
    private final Consumer<CortexEvent> deliverRenewing = event -> {
        mayDrain(); // renews when due; the answer matters only for the next batch
        deliver(event);
    };

    private void deliver(CortexEvent event) {
        for (CortexListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("listener {} failed on event {} ({}); delivery to others goes on", l, event.id(), event.type(), e);
            }
        }
    }

    public boolean isRunning() {
        return running && thread != null && thread.isAlive();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread t = new Thread(this::loop, "cortex-events");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the thread after delivering what is in the outbox, waiting at most {@code timeoutMillis}. */
    public void stop(long timeoutMillis) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            Threads.wakeAndJoin(t, timeoutMillis);
            thread = null;
        }
        runTasks();
        releaseLease();
    }

    private void loop() {
        long idleSince = 0; // when the outbox was last found empty; 0 while busy
        while (running) {
            int n;
            try {
                n = runTasks(TASKS_PER_PASS) + drain();
            } catch (RuntimeException e) {
                LOG.error("event delivery failed; retrying", e);
                n = 0;
            }
            if (n > 0) {
                idleSince = 0;
                continue;
            }
            long now = System.nanoTime();
            if (idleSince == 0) {
                idleSince = now;
            }
            long idle = now - idleSince;
            // a writer that finds the pump parked pays for the unpark (a system call, microseconds): under a
            // steady stream of changes the pump must not park between them. Spin on the cheap counter first,
            // then give the core away, and park only after a real pause.
            if (idle < SPIN_NANOS) {
                // look at the outbox between pauses, not on every one: each look pulls the writers' cache lines
                // over to this core, and a batch that grew meanwhile is cheaper to take
                for (int spin = 0; spin < 32; spin++) {
                    Thread.onSpinWait();
                }
                continue;
            }
            if (idle < YIELD_NANOS) {
                Thread.yield();
                continue;
            }
            sleeping = true;
            if (running && tasks.isEmpty() && ((store.isShared() && !leaseHeld) || store.outboxSize() == 0)) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
            }
            sleeping = false;
            idleSince = 0;
        }
        runTasks();
        drain();
    }
}
