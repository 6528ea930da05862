package io.cortex.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The event stream's replay window: a ring of the newest events, each with an id one higher than
 * the one before. Appending is cheap (no JSON is written: an entry renders its message the first
 * time a client sends it, then keeps the bytes), so the engine's event thread never waits for a
 * client. Clients do not get their own queue: each reads the ring from its own cursor, so a client
 * that falls further behind than the window learns it from {@link Batch#gap()} and resumes at the
 * oldest event still held.
 */
public final class EventBuffer {
    private final Entry[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final long firstId;

    // guarded by lock
    private long nextId;
    private int waiting;
    private boolean closed;

    /** One event of the window: its id, its type, its job (if any) and its message, rendered once. */
    public static final class Entry {
        private final long id;
        private final String type;
        private final String jobId;
        private volatile Object payload; // the Supplier<String> of its JSON until rendered, then the frame's bytes

        Entry(long id, String type, String jobId, Supplier<String> json) {
            this.id = id;
            this.type = type;
            this.jobId = jobId;
            this.payload = json;
        }

        /**
         * The id.
         *
         * @return the id, strictly increasing in append order
         */
        public long id() {
            return id;
        }

        /**
         * The event type.
         *
         * @return e.g. {@code job.status.changed}
         */
        public String type() {
            return type;
        }

        /**
         * The job the event is about.
         *
         * @return the job id, or null for a provider or webhook event
         */
        public String jobId() {
            return jobId;
        }

        /**
         * The whole message, {@code id:}, {@code event:} and one {@code data:} line, then a blank line;
         * rendered by the first client that sends it.
         *
         * @return UTF-8 bytes; do not modify
         */
        public byte[] frame() {
            Object p = payload;
            if (p instanceof byte[] bytes) {
                return bytes;
            }
            @SuppressWarnings("unchecked")
            String json = ((Supplier<String>) p).get();
            byte[] bytes = ("id: " + id + "\nevent: " + type + "\ndata: " + oneLine(json) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            payload = bytes; // two clients may both render it: the same bytes, harmless
            return bytes;
        }

        private static String oneLine(String json) {
            return json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.replace("\r", "").replace("\n", "");
        }
    }

    /**
     * What one read found.
     *
     * @param closed the buffer was closed: the stream ends
     * @param gap the reader's cursor was older than the window (or unknown to it): events were lost
     * @param oldestAvailable the oldest id held when the read was made (the next id if none is)
     * @param entries the events after the cursor, oldest first, possibly none (the wait timed out)
     */
    public record Batch(boolean closed, boolean gap, long oldestAvailable, List<Entry> entries) {}

    /**
     * An empty window.
     *
     * @param capacity the most events held
     * @param firstId the id of the first event appended
     */
    public EventBuffer(int capacity, long firstId) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the replay window must hold at least 1 event, got " + capacity);
        }
        this.ring = new Entry[capacity];
        this.firstId = firstId;
        this.nextId = firstId;
    }

    /**
     * Appends an event and wakes the clients waiting for one; never blocks on a client.
     *
     * @param type the event type
     * @param jobId the job it is about, or null
     * @param json renders its JSON, on a client's thread, at most a few times
     * @return its id
     */
    public long append(String type, String jobId, Supplier<String> json) {
        lock.lock();
        try {
            long id = nextId++;
            ring[(int) ((id - firstId) % ring.length)] = new Entry(id, type, jobId, json);
            if (waiting > 0) {
                appended.signalAll();
            }
            return id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The id of the newest event, or one less than the first id when none was appended: a new
     * client starts reading after it.
     *
     * @return the id
     */
    public long newestId() {
        lock.lock();
        try {
            return nextId - 1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The events after {@code cursor}, waiting up to {@code timeoutNanos} for one when there is none.
     *
     * @param cursor the id of the last event the reader has; older than the window (or newer than the
     *     newest event) is a gap, and the read starts at the oldest event held
     * @param max the most entries returned
     * @param timeoutNanos how long to wait when nothing is there
     * @return the batch
     * @throws InterruptedException when interrupted while waiting
     */
    public Batch read(long cursor, int max, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeoutNanos;
            while (!closed && cursor == nextId - 1 && nanos > 0) {
                waiting++;
                try {
                    nanos = appended.awaitNanos(nanos);
                } finally {
                    waiting--;
                }
            }
            if (closed) {
                return new Batch(true, false, oldest(), List.of());
            }
            long oldest = oldest();
            boolean gap = cursor < oldest - 1 || cursor > nextId - 1;
            long from = gap ? oldest : cursor + 1;
            int n = (int) Math.min(max, nextId - from);
            List<Entry> entries = new ArrayList<>(n);
            for (long id = from; id < from + n; id++) {
                entries.add(ring[(int) ((id - firstId) % ring.length)]);
            }
            return new Batch(false, gap, oldest, entries);
        } finally {
            lock.unlock();
        }
    }

    private long oldest() {
        return Math.max(firstId, nextId - ring.length);
    }

    /** Ends every read, now and later: streams end. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many events the window holds at most.
     *
     * @return the capacity
     */
    public int capacity() {
        return ring.length;
    }
}
