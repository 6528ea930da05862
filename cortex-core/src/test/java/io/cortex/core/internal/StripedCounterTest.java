package io.cortex.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StripedCounterTest {
    @Test
    void countsExactlyWhatManyThreadsAddAndTakeAway() throws Exception {
        StripedCounter counter = new StripedCounter();
        int threads = 40; // more threads than stripes: later ones share a stripe
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    counter.increment();
                    counter.add(2);
                    counter.decrement();
                }
            });
            th.start();
            all.add(th);
        }
        go.countDown();
        for (Thread th : all) {
            th.join();
        }

        assertThat(counter.sum()).isEqualTo(threads * 10_000L * 2);
        assertThat(counter.intValue()).isEqualTo(threads * 10_000 * 2);
        assertThat(counter).hasToString(Long.toString(threads * 10_000L * 2));
    }

    @Test
    void startsAtZeroAndMayGoNegative() {
        StripedCounter counter = new StripedCounter();
        assertThat(counter.sum()).isZero();
        counter.decrement();
        assertThat(counter.sum()).isEqualTo(-1);
    }
}
