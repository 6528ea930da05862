package io.cortex.core.job;

import io.cortex.core.util.Preconditions;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A job's identifier: {@code job_} followed by 1 to 64 characters of {@code [A-Za-z0-9_-]}.
 */
public final class JobId implements Comparable<JobId> {
    private static final Pattern FORMAT = Pattern.compile("job_[A-Za-z0-9_-]{1,64}");
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
    private static final long NODE = ThreadLocalRandom.current().nextLong() & 0xFFFFFL;
    private static final AtomicLong SEQUENCE = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));

    private final String value;
    /**
     * The text's hash: its last three characters read as base-32 digits in the low 15 bits, a 64-bit
     * FNV-1a hash of the rest (folded) above them. Ids made in sequence then differ in the low bits
     * only, so a hash map of many jobs puts those made one after another in neighbouring buckets (a
     * submit touches the cache lines its predecessors warmed, retention's removals too), and 32,768 of
     * them in a row have distinct hashes. {@code String.hashCode} gave such texts equal hashes about 4
     * times in 100.
     */
    private final int hash;

    private JobId(String value) {
        this.value = value;
        int n = value.length();
        int tail = Math.max(0, n - 3);
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < tail; i++) {
            h = (h ^ value.charAt(i)) * 0x100000001b3L;
        }
        int low = 0;
        for (int i = tail; i < n; i++) {
            low = (low << 5) | digit(value.charAt(i));
        }
        this.hash = ((int) (h ^ (h >>> 32)) << 15) ^ low;
    }

    /** A character's value as a base-32 digit of {@link #ALPHABET}; other characters fold onto 0-31. */
    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'v') {
            return c - 'a' + 10;
        }
        return c & 31;
    }

    /**
     * Parses an identifier.
     *
     * @throws NullPointerException when {@code value} is null
     * @throws IllegalArgumentException when it does not match {@code job_[A-Za-z0-9_-]{1,64}}
     */
    public static JobId of(String value) {
        Preconditions.notNull(value, "jobId");
        Preconditions.argument(FORMAT.matcher(value).matches(),
                "jobId '%s' must be 'job_' followed by 1 to 64 of [A-Za-z0-9_-]", value);
        return new JobId(value);
    }

    /**
     * A new unique identifier: ordered by creation time to the millisecond within one process (exactly,
     * within one thread), unique across processes with overwhelming probability (a random node part).
     * Cheap enough for the submit hot path: no shared counter per id.
     */
    public static JobId next(long epochMillis) {
        long seq = Block.LOCAL.get().next();
        char[] out = new char[4 + 9 + 4 + 7];
        "job_".getChars(0, 4, out, 0);
        base32(epochMillis, out, 4, 9);
        base32(NODE, out, 13, 4);
        base32(seq, out, 17, 7);
        return new JobId(new String(out));
    }

    /**
     * A thread's block of sequence numbers, taken {@value #SIZE} at a time from the shared counter: threads
     * submitting at once do not contend on it for every id (ids of one thread still grow with time).
     */
    private static final class Block {
        static final int SIZE = 256;
        static final ThreadLocal<Block> LOCAL = ThreadLocal.withInitial(Block::new);
        private long next;
        private long end;

        long next() {
            if (next == end) {
                next = SEQUENCE.getAndAdd(SIZE);
                end = next + SIZE;
            }
            return next++;
        }
    }

    private static void base32(long v, char[] out, int offset, int length) {
        for (int i = offset + length - 1; i >= offset; i--) {
            out[i] = ALPHABET[(int) (v & 31)];
            v >>>= 5;
        }
    }

    /** The full text, e.g. {@code job_01hx3k9q2m4f}. */
    public String value() {
        return value;
    }

    @Override
    public int compareTo(JobId o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof JobId other && other.hash == hash && other.value.equals(value));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return value;
    }
}
