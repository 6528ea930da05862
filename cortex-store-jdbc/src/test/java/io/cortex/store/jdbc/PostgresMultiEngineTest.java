package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cortex.core.Cortex;
import io.cortex.core.job.JobState;
import io.cortex.core.store.Lease;
import io.cortex.core.store.JobStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three engines on one PostgreSQL database: one in a child JVM that takes the outbox lease first,
 * two in this JVM; thousands of jobs submitted through all three; the child is killed (SIGKILL)
 * mid-run while it delivers everyone's events. The two others finish every job, one of them takes
 * the outbox lease once the dead engine's expires, each job is placed once (again only when the dead
 * engine had assigned it without recording the provider's handle), and every job's events are
 * delivered completely and in order.
 */
class PostgresMultiEngineTest {
    @RegisterExtension
    static final Postgres PG = new Postgres();

    private static final int JOBS_PER_ENGINE = Integer.getInteger("cortex.multiengine.jobs", 1000);
    /**
     * Long enough that a heartbeat delayed by a busy machine keeps the outbox lease where it is, so the child
     * still delivers when it is killed: on two cores running three engines and PostgreSQL, a 3-second lease
     * was lost now and then (a heartbeat more than three seconds after the one before).
     */
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final Duration RUN = Duration.ofMillis(200);
    private static final Duration TICK = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private long count(String sql) throws SQLException {
        try (Connection c = PG.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Ledger ledger() {
        return new Ledger.JdbcLedger(PG.url(), PG.user(), PG.password(), PG.schema());
    }

    private JdbcJobStore store(String pool) {
        return PG.store().leaseDuration(LEASE).poolName(pool).build();
    }

    @Test
    void threeEnginesPlaceEachJobOnceAndTheSurvivorsTakeOverFromAKilledOne() throws Exception {
        long seed = Long.getLong("cortex.crash.seed", System.nanoTime());
        System.out.println("PostgresMultiEngineTest seed " + seed + " (rerun with -Dcortex.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        List<Cortex> engines = new ArrayList<>();
        List<Ledger> ledgers = new ArrayList<>();
        ExecutorService submitters = Executors.newFixedThreadPool(2);
        JdbcJobStore observer = PG.store().poolSize(2).poolName("observer").build(); // migrates the schema
        ledger().close(); // creates the ledger's tables beside the store's
        Process child = TestEngines.child(dir, "engine-a", "store=pg", "pgUrl=" + PG.url(), "pgUser=" + PG.user(),
                "pgPassword=" + PG.password(), "pgSchema=" + PG.schema(), "ledger=pg", "jobs=" + JOBS_PER_ENGINE,
                "runMillis=" + RUN.toMillis(), "tickMillis=" + TICK.toMillis(), "leaseMillis=" + LEASE.toMillis());
        String childOwner = "engine-" + child.pid() + "-";
        try (observer) {
            try {
                await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> !child.isAlive()
                        || observer.lease(JobStore.OUTBOX_LEASE).map(l -> l.owner().startsWith(childOwner)).orElse(false));
                assertThat(child.isAlive()).as("the child died on its own:%n%s", TestEngines.errors(dir, "engine-a")).isTrue();

                List<Future<?>> submitting = new ArrayList<>();
                for (String name : List.of("engine-b", "engine-c")) {
                    Ledger ledger = ledger();
                    Ledger accepts = ledger();
                    ledgers.add(ledger);
                    ledgers.add(accepts);
                    Cortex engine = TestEngines.start(name, store(name), ledger, RUN, TICK);
                    engines.add(engine);
                    submitting.add(submitters.submit(() -> TestEngines.submit(engine, name, accepts, JOBS_PER_ENGINE)));
                }

                long killAfter = 100 + random.nextInt(JOBS_PER_ENGINE * 2);
                await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(10)).until(() -> !child.isAlive()
                        || count("SELECT count(*) FROM test_delivery WHERE engine = 'engine-a'") >= killAfter
                        || !observer.lease(JobStore.OUTBOX_LEASE).map(l -> l.owner().startsWith(childOwner)).orElse(false));
                assertThat(child.isAlive()).as("the child died on its own:%n%s", TestEngines.errors(dir, "engine-a")).isTrue();
                assertThat(observer.lease(JobStore.OUTBOX_LEASE)).get().extracting(Lease::owner).asString()
                        .as("the engine about to die delivers everyone's events (its lease log: %s)", TestEngines.leaseLog(dir, "engine-a"))
                        .startsWith(childOwner);
                long submittedByChild = count("SELECT count(*) FROM test_accept WHERE engine = 'engine-a'");
                child.destroyForcibly(); // SIGKILL, in the middle of a delivery
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                long deliveredByChild = count("SELECT count(*) FROM test_delivery WHERE engine = 'engine-a'");
                System.out.println("PostgresMultiEngineTest: killed engine-a after " + deliveredByChild + " deliveries (aimed at "
                        + killAfter + "), with " + submittedByChild + "+ of its " + JOBS_PER_ENGINE + " jobs submitted");

                for (Future<?> f : submitting) {
                    f.get(300, TimeUnit.SECONDS);
                }
                await().atMost(300, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
                    Map<JobState, Long> counts = observer.countByState();
                    return counts.get(JobState.PENDING) + counts.get(JobState.ASSIGNED) + counts.get(JobState.RUNNING) == 0
                            && observer.outboxSize() == 0;
                });
                assertThat(observer.lease(JobStore.OUTBOX_LEASE)).get().extracting(Lease::owner).asString()
                        .as("a survivor took the outbox lease over").doesNotStartWith(childOwner);
                assertThat(count("SELECT count(*) FROM test_delivery WHERE engine <> 'engine-a' AND seq > "
                        + "(SELECT max(seq) FROM test_delivery WHERE engine = 'engine-a')")).as("deliveries after the takeover")
                        .isPositive();
            } finally {
                child.destroyForcibly();
                for (Cortex e : engines) {
                    e.close();
                }
                submitters.shutdownNow();
                for (Ledger l : ledgers) {
                    l.close();
                }
            }

            Set<String> accepted = new HashSet<>();
            List<Map.Entry<String, Integer>> submits = new ArrayList<>();
            List<Map.Entry<String, String>> deliveries = new ArrayList<>();
            try (Connection c = PG.connect(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT job_id FROM test_accept")) {
                    while (rs.next()) {
                        accepted.add(rs.getString(1));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT job_id, attempt FROM test_submit ORDER BY seq")) {
                    while (rs.next()) {
                        submits.add(Map.entry(rs.getString(1), rs.getInt(2)));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT event_id, job_id FROM test_delivery ORDER BY seq")) {
                    while (rs.next()) {
                        deliveries.add(new java.util.AbstractMap.SimpleEntry<>(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            DurabilityChecks.Summary s = DurabilityChecks.verify(observer, accepted, submits, deliveries);
            assertThat(s.jobs()).isGreaterThanOrEqualTo(2 * JOBS_PER_ENGINE);
            System.out.println("PostgresMultiEngineTest: " + s);
        }
    }
}
