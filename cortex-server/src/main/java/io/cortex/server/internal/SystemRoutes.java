package io.cortex.server.internal;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.Cortex;
import io.cortex.core.EngineMetrics;
import io.cortex.core.job.JobState;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.metrics.HistoryRange;
import io.cortex.core.provider.ProviderInfo;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.service.ServiceInfo;
import io.cortex.core.service.ServiceState;
import io.cortex.core.store.DatabaseAdmin;
import io.cortex.core.store.DatabaseConfig;
import io.cortex.core.store.DatabaseConfigChange;
import io.cortex.core.store.DatabaseStatus;
import io.cortex.core.store.InMemoryJobStore;
import io.cortex.server.Scope;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/health}, {@code /api/system/…} and {@code /api/users/me/permissions}: health, rate
 * limits, the operator log (with the schema's migrations as service {@code upgrade}), services,
 * resource metrics, the metrics history, and the database paths (served from a store that is a
 * {@link DatabaseAdmin}, else 501). The paths about the host and a hosted deployment are
 * {@link OperationsRoutes}'.
 */
final class SystemRoutes {
    private final Settings settings;
    private final Cortex cortex;

    SystemRoutes(Settings settings) {
        this.settings = settings;
        this.cortex = settings.cortex();
    }

    void register(Router r) {
        r.route(GET, "/api/health", null, this::health);
        r.route(GET, "/api/system/rate-limits", Scope.READ, this::rateLimits);
        r.route(GET, "/api/system/logs", Scope.ADMIN, this::logs);
        r.route(GET, "/api/system/services/{name}", Scope.READ, c -> c.json(200, cortex.service(knownService(c))));
        r.route(POST, "/api/system/services/{name}/restart", Scope.ADMIN,
                c -> c.json(200, cortex.restartService(knownService(c))));
        r.route(GET, "/api/system/metrics/resources", Scope.READ, c -> c.json(200, resources()));
        r.route(GET, "/api/system/metrics/history", Scope.READ, this::history);
        r.route(GET, "/api/users/me/permissions", Scope.READ, c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", c.key().id());
            m.put("name", c.key().name());
            m.put("scopes", c.key().scopes().stream().map(Scope::wireName).toList());
            c.json(200, m);
        });
        r.route(GET, "/api/system/database/status", Scope.ADMIN, c -> c.json(200, database().status()));
        r.route(GET, "/api/system/database/connections", Scope.ADMIN, c -> c.json(200, database().connections()));
        r.route(GET, "/api/system/database/slow-queries", Scope.ADMIN, c -> c.json(200, database().slowQueries()));
        r.route(PUT, "/api/system/database/config", Scope.ADMIN, this::databaseConfig);
        r.route(POST, "/api/system/database/optimize", Scope.ADMIN, c -> c.json(200, database().optimize()));
    }

    /** The store's database administration, or a 501 saying that no durable store is configured. */
    private DatabaseAdmin database() {
        return database(cortex);
    }

    /**
     * The engine's store as a {@link DatabaseAdmin}, or a 501 saying that no durable store is
     * configured and what exists only with one.
     */
    static DatabaseAdmin database(Cortex cortex) {
        if (cortex.store() instanceof DatabaseAdmin admin) {
            return admin;
        }
        String where = cortex.store() instanceof InMemoryJobStore ? "memory (InMemoryJobStore)"
                : cortex.store().getClass().getSimpleName() + ", which has no database";
        throw Problem.of(501, Problem.Type.UNSUPPORTED, "a durable store is not configured: this engine keeps its jobs in "
                + where + "; database status, connections, slow queries, pool settings, upkeep and schema migrations exist "
                + "only with a durable store (cortex-store-jdbc)").with("feature", "database");
    }

    private void databaseConfig(Call c) {
        DatabaseAdmin admin = database();
        JsonNode body = c.jsonObject(true);
        Bodies.allowOnly(body, "poolSize", "minimumIdle", "idleTimeout", "connectionTimeout", "slowQueryThreshold");
        Long poolSize = Bodies.whole(body, "poolSize", false, 1, DatabaseConfig.MAX_POOL_SIZE);
        Long minimumIdle = Bodies.whole(body, "minimumIdle", false, 0, DatabaseConfig.MAX_POOL_SIZE);
        Long idleTimeout = Bodies.whole(body, "idleTimeout", false, 0, Long.MAX_VALUE);
        Long connectionTimeout = Bodies.whole(body, "connectionTimeout", false, 0, Long.MAX_VALUE);
        Long slowQueryThreshold = Bodies.whole(body, "slowQueryThreshold", false, 0, Long.MAX_VALUE);
        DatabaseConfigChange change;
        try {
            change = new DatabaseConfigChange(poolSize == null ? null : poolSize.intValue(),
                    minimumIdle == null ? null : minimumIdle.intValue(), idleTimeout, connectionTimeout, slowQueryThreshold);
            c.json(200, admin.updateConfig(change));
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            int space = m.indexOf(' ');
            String field = space > 0 && body.has(m.substring(0, space)) ? m.substring(0, space) : "body";
            throw Problem.invalid(field, "range", m);
        }
    }

    private String knownService(Call c) {
        String name = c.path("name");
        List<String> known = cortex.services().stream().map(ServiceInfo::name).toList();
        if (!known.contains(name)) {
            throw Problem.notFound("service", name, "service '" + name + "' not found; known services: " + known)
                    .with("known", known);
        }
        return name;
    }

    private void health(Call c) {
        Map<String, Object> store = new LinkedHashMap<>();
        boolean storeUp;
        try {
            store.put("description", cortex.store().describe());
            cortex.store().countByState();
            storeUp = true;
            if (cortex.store() instanceof DatabaseAdmin admin) {
                DatabaseStatus db = admin.status();
                store.put("database", db.product() + " " + db.productVersion());
                store.put("pingMillis", db.pingMillis());
                if (!db.up()) {
                    store.put("error", db.message());
                    storeUp = false;
                }
            }
        } catch (RuntimeException e) {
            store.put("error", String.valueOf(e.getMessage()));
            storeUp = false;
        }
        store.put("status", storeUp ? "UP" : "DOWN");
        store.put("durable", !(cortex.store() instanceof InMemoryJobStore));
        Map<String, ProviderStatus> providers = new LinkedHashMap<>();
        boolean anyUsable = false;
        boolean allOnline = true;
        for (ProviderInfo p : cortex.providers()) {
            providers.put(p.id().value(), p.status());
            anyUsable |= p.status() != ProviderStatus.OFFLINE;
            allOnline &= p.status() == ProviderStatus.ONLINE;
        }
        Map<String, ServiceState> services = new LinkedHashMap<>();
        boolean allRunning = true;
        for (ServiceInfo s : cortex.services()) {
            services.put(s.name(), s.state());
            allRunning &= s.state() == ServiceState.RUNNING;
        }
        String status = !storeUp || !anyUsable ? "DOWN" : allOnline && allRunning ? "UP" : "DEGRADED";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("timestamp", settings.clock().instant());
        body.put("store", store);
        body.put("providers", providers);
        body.put("services", services);
        c.json(status.equals("DOWN") ? 503 : 200, body);
    }

    private void rateLimits(Call c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", c.key().id());
        RateLimiter.Decision d = c.rate();
        if (d == null) {
            m.put("unlimited", true);
        } else {
            m.put("limit", d.limit());
            m.put("remaining", d.remaining());
            m.put("resetSeconds", d.resetSeconds());
            m.put("windowSeconds", d.windowSeconds());
        }
        c.json(200, m);
    }

    private void logs(Call c) {
        OperatorLogRecord.Level level = null;
        String l = c.query("level");
        if (l != null) {
            try {
                level = OperatorLogRecord.Level.valueOf(l.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("level", "format", "level '" + l + "' is not one of INFO, WARN, ERROR");
            }
        }
        int limit = (int) c.longQuery("limit", 100, 1, 10_000);
        if (UpgradeLog.UPGRADE.equals(c.query("service"))) {
            c.json(200, UpgradeLog.records(cortex, settings.clock().instant(), c.query("provider"), c.query("job"), level,
                    c.instantQuery("since"), limit));
            return;
        }
        c.json(200, cortex.operatorLog().query(c.query("service"), c.query("provider"), c.query("job"), level,
                c.instantQuery("since"), limit));
    }

    /** The engine's bounded time series over {@code range} (default 1h), downsampled to the range's step. */
    private void history(Call c) {
        String raw = c.query("range");
        HistoryRange range;
        try {
            range = raw == null ? HistoryRange.HOUR : HistoryRange.parse(raw);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("range", "format", e.getMessage()).with("allowed", HistoryRange.wireNames());
        }
        c.json(200, cortex.metricsHistory().series(range));
    }

    private Map<String, Object> resources() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timestamp", settings.clock().instant());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        out.put("heap", memory(heap));
        out.put("nonHeap", memory(nonHeap));
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("availableProcessors", os.getAvailableProcessors());
        cpu.put("systemLoadAverage", os.getSystemLoadAverage());
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            cpu.put("processCpuLoad", sun.getProcessCpuLoad());
            cpu.put("systemCpuLoad", sun.getCpuLoad());
            cpu.put("processCpuTimeNanos", sun.getProcessCpuTime());
        }
        out.put("cpu", cpu);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("live", threads.getThreadCount());
        t.put("daemon", threads.getDaemonThreadCount());
        t.put("peak", threads.getPeakThreadCount());
        out.put("threads", t);
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        out.put("uptimeSeconds", runtime.getUptime() / 1000);
        EngineMetrics m = cortex.metrics();
        Map<JobState, Long> byState = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            byState.put(s, m.jobsByState().getOrDefault(s, 0L));
        }
        out.put("jobsByState", byState);
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("submitted", m.submitted());
        engine.put("succeeded", m.succeeded());
        engine.put("failed", m.failed());
        engine.put("cancelled", m.cancelled());
        engine.put("placements", m.placements());
        engine.put("failovers", m.failovers());
        engine.put("eventsPublished", m.eventsPublished());
        engine.put("eventsWaiting", m.eventsWaiting());
        out.put("engine", engine);
        if (settings.dispatcher() != null) {
            out.put("deliveries", settings.dispatcher().metrics());
        }
        return out;
    }

    private static Map<String, Object> memory(MemoryUsage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("usedBytes", u.getUsed());
        m.put("committedBytes", u.getCommitted());
        m.put("maxBytes", u.getMax());
        return m;
    }
}
