package io.cortex.store.jdbc;

import io.cortex.core.Cortex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * An engine in a JVM of its own, for tests that kill it: {@code name=… store=h2:<file>|pg
 * ledger=file:<file>|pg jobs=<n> runMillis=<n> tickMillis=<n> leaseMillis=<n>} (and for PostgreSQL
 * {@code pgUrl= pgUser= pgPassword= pgSchema=}). Prints {@code READY} once the engine runs, submits
 * its jobs, prints {@code SUBMITTED <n>}, then runs until it is killed.
 */
public final class EngineChild {
    private EngineChild() {}

    /**
     * Runs the engine.
     *
     * @param args {@code key=value} settings
     * @throws InterruptedException never in practice: the process is killed
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String name = a.get("name");
        String store = a.get("store");
        JdbcJobStore.Builder builder = store.startsWith("h2:") ? JdbcJobStore.builder().h2File(Path.of(store.substring(3)))
                : JdbcJobStore.builder().jdbcUrl(a.get("pgUrl")).credentials(a.get("pgUser"), a.get("pgPassword"))
                        .schema(a.get("pgSchema"));
        if (a.containsKey("leaseMillis")) {
            builder.leaseDuration(Duration.ofMillis(Long.parseLong(a.get("leaseMillis"))));
        }
        String ledgerAt = a.get("ledger");
        Ledger ledger = ledgerAt.startsWith("file:") ? new Ledger.FileLedger(Path.of(ledgerAt.substring(5)))
                : new Ledger.JdbcLedger(a.get("pgUrl"), a.get("pgUser"), a.get("pgPassword"), a.get("pgSchema"));
        Cortex engine = TestEngines.start(name, builder.build(), ledger, Duration.ofMillis(Long.parseLong(a.get("runMillis"))),
                Duration.ofMillis(Long.parseLong(a.getOrDefault("tickMillis", "50"))));
        System.out.println("READY");
        System.out.flush();
        int jobs = Integer.parseInt(a.getOrDefault("jobs", "0"));
        TestEngines.submit(engine, name, ledger, jobs);
        System.out.println("SUBMITTED " + jobs);
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }
}
