package io.cortex.client;

import java.util.random.RandomGenerator;

/** Jitter that always draws the middle: a backoff cap of 500 ms waits exactly 250 ms. */
final class HalfRandom implements RandomGenerator {
    @Override
    public long nextLong() {
        return 0;
    }

    @Override
    public double nextDouble() {
        return 0.5;
    }
}
