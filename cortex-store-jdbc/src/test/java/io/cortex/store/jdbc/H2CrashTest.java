package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cortex.core.Cortex;
import io.cortex.core.job.JobState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine on an H2 file, in a JVM of its own, killed with SIGKILL at random moments over several
 * rounds while jobs are in flight; then a new engine on the same file finishes every job. Nothing
 * is lost, no job is placed twice once its placement was recorded, every event reaches a listener
 * at least once with its id, each job's events in order. The seed is printed; rerun one with
 * {@code -Dcortex.crash.seed=<seed>}.
 */
class H2CrashTest {
    private static final int ROUNDS = 4;
    private static final int JOBS_PER_ROUND = 40;
    private static final Duration RUN = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private Path ledger() {
        return dir.resolve("ledger.log");
    }

    private long deliveredBy(String engine) throws IOException {
        return Ledger.FileLedger.read(ledger()).stream().filter(e -> e.kind().equals("EVENT") && e.engine().equals(engine))
                .count();
    }

    @Test
    void anEngineKilledAtRandomMomentsLosesNothingAndANewEngineFinishesEveryJob() throws Exception {
        long seed = Long.getLong("cortex.crash.seed", System.nanoTime());
        System.out.println("H2CrashTest seed " + seed + " (rerun with -Dcortex.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path db = dir.resolve("cortex");

        for (int round = 1; round <= ROUNDS; round++) {
            String name = "child" + round;
            long killAfter = 1 + random.nextInt(JOBS_PER_ROUND * 4); // events this child delivers before it dies
            Process child = TestEngines.child(dir, name, "store=h2:" + db, "ledger=file:" + ledger(),
                    "jobs=" + JOBS_PER_ROUND, "runMillis=" + RUN.toMillis(), "tickMillis=50");
            try {
                await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5))
                        .until(() -> !child.isAlive() || deliveredBy(name) >= killAfter);
                assertThat(child.isAlive()).as("%s died on its own:%n%s", name, TestEngines.errors(dir, name)).isTrue();
            } finally {
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            System.out.println("H2CrashTest round " + round + ": killed " + name + " after " + deliveredBy(name)
                    + " deliveries (aimed at " + killAfter + ")");
        }

        try (Ledger.FileLedger ledger = new Ledger.FileLedger(ledger());
                Cortex engine = TestEngines.start("final", JdbcJobStore.builder().h2File(db).build(), ledger, RUN,
                        Duration.ofMillis(50))) {
            await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
                Map<JobState, Long> counts = engine.store().countByState();
                return counts.get(JobState.PENDING) + counts.get(JobState.ASSIGNED) + counts.get(JobState.RUNNING) == 0
                        && engine.store().outboxSize() == 0;
            });
        }

        List<Ledger.Entry> entries = Ledger.FileLedger.read(ledger());
        Set<String> accepted = new HashSet<>();
        List<Map.Entry<String, Integer>> submits = new java.util.ArrayList<>();
        List<Map.Entry<String, String>> deliveries = new java.util.ArrayList<>();
        for (Ledger.Entry e : entries) {
            switch (e.kind()) {
                case "ACCEPT" -> accepted.add(e.a());
                case "SUBMIT" -> submits.add(Map.entry(e.a(), Integer.parseInt(e.b())));
                case "EVENT" -> deliveries.add(Map.entry(e.a(), e.b()));
                default -> throw new AssertionError(e);
            }
        }
        try (JdbcJobStore store = JdbcJobStore.builder().h2File(db).build()) {
            DurabilityChecks.Summary s = DurabilityChecks.verify(store, accepted, submits, deliveries);
            assertThat(s.jobs()).isGreaterThanOrEqualTo(accepted.size()).isPositive();
            System.out.println("H2CrashTest: " + s);
        }
    }
}
