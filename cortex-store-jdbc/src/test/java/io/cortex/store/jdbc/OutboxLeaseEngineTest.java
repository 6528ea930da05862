package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.internal.EventPump;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.store.InMemoryJobStore;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.OutboxEntry;
import io.cortex.core.store.Page;
import io.cortex.provider.inmemory.InMemoryProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine change for shared stores, without a database: the event pump delivers only while its
 * engine holds the outbox lease, renews it as it goes, and gives it up when the engine closes.
 */
class OutboxLeaseEngineTest {
    private final ManualClock clock = new ManualClock();
    private final List<CortexEvent> delivered = new CopyOnWriteArrayList<>();
    private final LeaseRecordingStore store = new LeaseRecordingStore(
            new InMemoryJobStore(100, Duration.ofDays(3650), java.time.Clock.systemUTC()));
    private Cortex engine;

    private Cortex engine(boolean shared) {
        store.shared = shared;
        engine = Cortex.builder().clock(clock).manual().store(store).listener(delivered::add)
                .provider(InMemoryProvider.builder("mem").clock(clock).build()).build();
        return engine;
    }

    private Cortex threadedEngine() {
        store.shared = true;
        engine = Cortex.builder().store(store).listener(delivered::add).tickInterval(Duration.ofMillis(20))
                .provider(InMemoryProvider.builder("mem").build()).build();
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void onASharedStoreTheEngineDeliversOnlyWhileItHoldsTheOutboxLease() {
        store.grant.set(false);
        Cortex cortex = engine(true);

        Job job = cortex.submit(JobSpec.builder().image("acme/app:1").build());
        cortex.drainEvents();

        assertThat(delivered).isEmpty();
        assertThat(store.outboxSize()).isPositive();
        assertThat(store.asked).isNotEmpty().allSatisfy(a -> assertThat(a).startsWith(JobStore.OUTBOX_LEASE + " engine-"));

        store.grant.set(true); // the holder's lease expired: this engine's next ask (a third of the duration later) gets it
        await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5)).until(() -> {
            cortex.drainEvents();
            return store.outboxSize() == 0;
        });
        assertThat(delivered).extracting(CortexEvent::id).contains("evt_" + job.id().value().substring(4) + "_1");
        assertThat(delivered).extracting(CortexEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void theHolderRenewsItsLeaseAsItDelivers() {
        Cortex cortex = engine(true);
        cortex.submit(JobSpec.builder().image("acme/app:1").build());

        int before = store.asked.size();
        await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5)).until(() -> {
            cortex.drainEvents();
            return store.asked.size() >= before + 3;
        });
        String owner = store.asked.get(0).substring(JobStore.OUTBOX_LEASE.length() + 1);
        assertThat(store.asked).allSatisfy(a -> assertThat(a).isEqualTo(JobStore.OUTBOX_LEASE + " " + owner));
        assertThat(delivered).isNotEmpty();
    }

    @Test
    void aHolderWhoseReceiverIsSlowRenewsItsLeaseWithinOneBatch() {
        store.grant.set(false); // the events wait in the outbox
        Cortex cortex = engine(true);
        for (int i = 0; i < 3; i++) {
            cortex.submit(JobSpec.builder().image("acme/app:1").build());
        }
        assertThat(store.outboxSize()).isGreaterThanOrEqualTo(3);
        store.grant.set(true);
        List<Integer> asksSeen = new CopyOnWriteArrayList<>();
        cortex.addListener(event -> { // a receiver that takes longer than the lease for each event
            long start = System.nanoTime();
            long lease = store.leaseDuration().toNanos();
            await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(1)).until(() -> System.nanoTime() - start > lease);
            asksSeen.add(store.asked.size());
        });

        // the first drain that holds the lease delivers them all in one batch (fewer than a batch's limit)
        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5)).until(() -> {
            cortex.drainEvents();
            return !asksSeen.isEmpty();
        });

        assertThat(store.outboxSize()).isZero();
        assertThat(asksSeen).hasSizeGreaterThanOrEqualTo(3);
        // the heartbeat went on between the batch's events, not only before the batch
        assertThat(asksSeen.get(asksSeen.size() - 1)).isGreaterThan(asksSeen.get(0));
        String owner = store.asked.get(0).substring(JobStore.OUTBOX_LEASE.length() + 1);
        assertThat(store.asked).allSatisfy(a -> assertThat(a).isEqualTo(JobStore.OUTBOX_LEASE + " " + owner));
    }

    @Test
    void aSteadyStreamOfEngineTasksStarvesNeitherTheHeartbeatNorTheEvents() {
        store.shared = true;
        EventPump pump = new EventPump(store);
        pump.add(delivered::add);
        AtomicBoolean streaming = new AtomicBoolean(true);
        AtomicLong ran = new AtomicLong();
        Runnable[] task = new Runnable[1];
        task[0] = () -> { // each task hands over the next: the task queue is never empty
            ran.incrementAndGet();
            if (streaming.get()) {
                pump.execute(task[0]);
            }
        };
        pump.start();
        try {
            pump.execute(task[0]);
            await().atMost(5, TimeUnit.SECONDS).until(() -> ran.get() > 10_000);
            int asked = store.asked.size();
            store.publish(CortexEvent.of("evt_stream_1", EventTypes.PROVIDER_STATUS_CHANGED, new ProviderChange(ProviderId.of("mem"),
                    ProviderStatus.ONLINE, ProviderStatus.OFFLINE, ReasonCode.PROVIDER_OFFLINE, "went offline", Instant.now())));

            await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5))
                    .until(() -> store.asked.size() >= asked + 3 && !delivered.isEmpty());
            assertThat(delivered).extracting(CortexEvent::id).containsExactly("evt_stream_1");
        } finally {
            streaming.set(false);
            pump.stop(5_000);
        }
    }

    @Test
    void anEngineWhoseDispatcherStopsGivesTheLeaseUpAtOnce() {
        Cortex cortex = threadedEngine();
        cortex.submit(JobSpec.builder().image("acme/app:1").build());
        await().atMost(10, TimeUnit.SECONDS).until(() -> !delivered.isEmpty());
        String owner = store.asked.get(0).substring(JobStore.OUTBOX_LEASE.length() + 1);

        cortex.close();

        assertThat(store.released).contains(JobStore.OUTBOX_LEASE + " " + owner);
    }

    @Test
    void onAStoreOneEngineOwnsNoLeaseIsAskedFor() {
        Cortex cortex = engine(false);

        cortex.submit(JobSpec.builder().image("acme/app:1").build());
        cortex.tick();

        assertThat(delivered).isNotEmpty();
        assertThat(store.asked).isEmpty();
        assertThat(store.outboxSize()).isZero();
    }

    /** An in-memory store that says it is shared and grants the outbox lease when told to. */
    static final class LeaseRecordingStore implements JobStore {
        final JobStore delegate;
        final AtomicBoolean grant = new AtomicBoolean(true);
        final List<String> asked = new CopyOnWriteArrayList<>();
        final List<String> released = new CopyOnWriteArrayList<>();
        volatile boolean shared;

        LeaseRecordingStore(JobStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean isShared() {
            return shared;
        }

        @Override
        public Duration leaseDuration() {
            return Duration.ofMillis(30);
        }

        @Override
        public boolean tryLease(String name, String owner, Duration ttl) {
            asked.add(name + " " + owner);
            return grant.get();
        }

        @Override
        public void releaseLease(String name, String owner) {
            released.add(name + " " + owner);
        }

        @Override
        public void insert(Job job, JobEvent event) {
            delegate.insert(job, event);
        }

        @Override
        public Optional<Job> get(JobId id) {
            return delegate.get(id);
        }

        @Override
        public boolean update(Job next, long expectedVersion, JobEvent event) {
            return delegate.update(next, expectedVersion, event);
        }

        @Override
        public Page<Job> query(JobQuery query) {
            return delegate.query(query);
        }

        @Override
        public List<Job> activeJobs() {
            return delegate.activeJobs();
        }

        @Override
        public List<JobEvent> events(JobId id) {
            return delegate.events(id);
        }

        @Override
        public Map<JobState, Long> countByState() {
            return delegate.countByState();
        }

        @Override
        public void publish(CortexEvent event) {
            delegate.publish(event);
        }

        @Override
        public List<OutboxEntry> outbox(int limit) {
            return delegate.outbox(limit);
        }

        @Override
        public void acknowledge(long sequence) {
            delegate.acknowledge(sequence);
        }

        @Override
        public long outboxSize() {
            return delegate.outboxSize();
        }

        @Override
        public String describe() {
            return "lease-recording " + delegate.describe();
        }
    }

}
