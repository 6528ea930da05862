package io.cortex.provider.inmemory;

import static io.cortex.provider.inmemory.JobAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderUpdates;
import io.cortex.core.provider.RemoteState;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.core.provider.Wallet;
import io.cortex.core.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Several clients of one in-memory provider, as the replicas of an application hold to one remote
 * backend: one backend, each client its own push channel.
 */
class ClientsTest {
    private final ManualClock clock = new ManualClock();
    private final JobSpec spec = JobSpec.builder().image("acme/app:1").build();

    /** The reports one client pushed. */
    private static final class Pushed implements ProviderUpdates {
        final List<RemoteState> states = new CopyOnWriteArrayList<>();

        @Override
        public void report(AttemptRef attempt, ProviderJobRef ref, RemoteStatus status) {
            states.add(status.state());
        }
    }

    private static AttemptRef attempt(String id) {
        return new AttemptRef(JobId.of(id), 1);
    }

    @Test
    void changesArePushedToTheClientTheJobWasSubmittedThrough() {
        InMemoryProvider first = InMemoryProvider.builder("mem").clock(clock).runFor(Duration.ofSeconds(10)).build();
        InMemoryProvider second = first.newClient();
        Pushed toFirst = new Pushed();
        Pushed toSecond = new Pushed();
        first.pushStatusTo(toFirst);
        second.pushStatusTo(toSecond);

        ProviderJobRef ref = second.submit(spec, attempt("job_b"));
        clock.advance(Duration.ofSeconds(10));
        first.pump();

        assertThat(toSecond.states).containsExactly(RemoteState.RUNNING, RemoteState.SUCCEEDED);
        assertThat(toFirst.states).as("the other client's channel").isEmpty();
        assertThat(first.status(ref).state()).as("a poll through another client sees the job").isEqualTo(RemoteState.SUCCEEDED);
    }

    @Test
    void onceTheSubmittingClientIsClosedItsJobsArePushedToAClientStillOpenAndStillAnswerPolls() {
        InMemoryProvider first = InMemoryProvider.builder("mem").clock(clock).startAfter(Duration.ofSeconds(5)).build();
        InMemoryProvider second = first.newClient();
        Pushed toFirst = new Pushed();
        first.pushStatusTo(toFirst);
        second.pushStatusTo(new Pushed());

        ProviderJobRef ref = second.submit(spec, attempt("job_b"));
        second.close(); // its engine stopped
        clock.advance(Duration.ofSeconds(5));
        first.pump();

        assertThat(toFirst.states).containsExactly(RemoteState.SUCCEEDED);
        assertThat(first.status(ref).state()).isEqualTo(RemoteState.SUCCEEDED);

        first.close();
        assertThatThrownBy(() -> first.status(ref)).as("every client closed: the jobs are forgotten")
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.PROVIDER_LOST_JOB));
    }

    @Test
    void clientsShareScriptingCapacityCountersAndWallet() {
        InMemoryProvider first = InMemoryProvider.builder("mem").clock(clock).capacity(1).startAfter(Duration.ofMinutes(1))
                .price("3.60", "USDC").runFor(Duration.ofSeconds(10)).wallet("1.00").build();
        InMemoryProvider second = first.newClient();

        assertThat(second).isInstanceOf(Wallet.class);
        assertThat(second.id()).isEqualTo(first.id());
        second.submit(spec, attempt("job_1"));
        assertThatThrownBy(() -> first.submit(spec, attempt("job_2"))).as("the one slot is taken through the other client")
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.NO_CAPACITY));
        assertThat(first.submissions()).isEqualTo(2);
        assertThat(first.activeJobs()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        second.pump();
        assertThat(first.balance().amount()).as("one job of 10 s at 3.60 an hour, charged once").isEqualByComparingTo(new BigDecimal("0.99"));

        first.goOffline();
        assertThatThrownBy(() -> second.submit(spec, attempt("job_3")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.PROVIDER_OFFLINE));
        second.goOnline();
        first.onImage("acme/app", Outcome.exit(3, "boom"));
        Pushed pushed = new Pushed();
        second.pushStatusTo(pushed);
        second.startAfter(Duration.ZERO).runFor(Duration.ZERO);
        first.submit(spec, attempt("job_4"));
        assertThat(pushed.states).as("pushed to the first client, which has no channel: then to an open one that has")
                .containsExactly(RemoteState.FAILED);
    }

    @Test
    void twoEnginesOnOneStoreEachWithItsOwnClientNeverReadBackTheJobsTheySubmit() {
        InterleavingJobStore store = new InterleavingJobStore(clock);
        InMemoryProvider provider = InMemoryProvider.builder("mem").clock(clock).build();
        Cortex one = Cortex.builder().clock(clock).manual().store(store).provider(provider).build();
        Cortex two = Cortex.builder().clock(clock).manual().store(store).provider(provider.newClient()).build();
        try {
            Job a = one.submit(spec);
            Job b = two.submit(spec);

            assertThat(a).isIn(JobState.SUCCEEDED);
            assertThat(b).isIn(JobState.SUCCEEDED);
            assertThat(store.reads(a.id()) + store.reads(b.id())).as("reads of the jobs during submit").isZero();
            assertThat(a.attempts().get(0).ref()).isNotNull();
            assertThat(b.attempts().get(0).ref()).isNotNull();
        } finally {
            two.close();
            one.close();
        }
    }

    @Test
    void oneInstanceRegisteredWithTwoEnginesStillFinishesEveryJobThroughTheEngineThatRegisteredLast() {
        InterleavingJobStore store = new InterleavingJobStore(clock);
        InMemoryProvider provider = InMemoryProvider.builder("mem").clock(clock).build();
        Cortex one = Cortex.builder().clock(clock).manual().store(store).provider(provider).build();
        Cortex two = Cortex.builder().clock(clock).manual().store(store).provider(provider).build();
        try {
            Job a = one.submit(spec);
            int reads = store.reads(a.id());

            assertThat(a).isIn(JobState.SUCCEEDED);
            assertThat(a.attempts().get(0).ref()).isNotNull();
            assertThat(one.job(a.id())).isIn(JobState.SUCCEEDED).hasVersion(a.version());
            // the engine that got the report reads the job it did not submit; the one that submitted it reads it once,
            // when its write of the handle loses to the other's
            assertThat(reads).as("reads of the job during submit").isEqualTo(2);
        } finally {
            two.close();
            one.close();
        }
    }
}
