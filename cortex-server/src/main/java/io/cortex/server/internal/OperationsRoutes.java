package io.cortex.server.internal;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.Cortex;
import io.cortex.core.json.CortexJson;
import io.cortex.core.log.LogRotation;
import io.cortex.core.log.OperatorLog;
import io.cortex.core.log.OperatorLogFile;
import io.cortex.core.store.DatabaseAdmin;
import io.cortex.core.store.DatabaseStatus;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.StorageUsage;
import io.cortex.server.Scope;
import io.javalin.http.HandlerType;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator guide's system paths about the host an embedded engine runs in: processes (threads),
 * the operator log's rotation, requirements, storage, the schema's migration history, and the
 * paths of a hosted deployment that an embedded engine answers with a problem saying where to look
 * instead.
 */
final class OperationsRoutes {
    /** The least maximum heap the engine is meant to run with. */
    static final long MIN_HEAP_BYTES = 256L << 20;
    /** The least free space where the store's file lives (room for the file to grow and be migrated). */
    static final long MIN_STORE_FREE_BYTES = 100L << 20;
    /** The least Java feature release. */
    static final int MIN_JAVA = 17;
    /** The least processors. */
    static final int MIN_CORES = 1;
    private static final String OPERATOR_LOG = "operator-log";

    private final Settings settings;
    private final Cortex cortex;
    private final Processes processes;

    OperationsRoutes(Settings settings) {
        this.settings = settings;
        this.cortex = settings.cortex();
        this.processes = new Processes(cortex);
    }

    void register(Router r) {
        r.route(GET, "/api/system/processes", Scope.READ, c -> c.json(200, processes.snapshot(settings.clock().instant())));
        r.route(GET, "/api/system/logging/config", Scope.ADMIN, c -> c.json(200, loggingView()));
        r.route(PUT, "/api/system/logging/config", Scope.ADMIN, this::loggingConfig);
        r.route(GET, "/api/system/requirements", Scope.READ, c -> c.json(200, requirements()));
        r.route(GET, "/api/system/storage", Scope.READ, c -> c.json(200, storage()));
        r.route(GET, "/api/system/database/migrations", Scope.ADMIN, c -> c.json(200, SystemRoutes.database(cortex).migrations()));
        String versions = "the engine is a library inside its host application: roll back by deploying the host with the "
                + "previous Cortex version. The store's schema is only migrated forward, and a Cortex older than the schema "
                + "refuses to start rather than write to it; see GET /api/system/logs?service=upgrade for the migrations applied";
        embedded(r, POST, "/api/system/rollback", versions, "/api/system/logs?service=upgrade", "/api/system/requirements");
        String containers = "jobs run on compute providers, not in containers of this server";
        embedded(r, GET, "/api/system/containers", containers + "; list the jobs instead", "/api/plugin-core/jobs",
                "/api/system/processes");
        embedded(r, GET, "/api/system/containers/{containerId}/logs", containers + "; a job's logs come from its provider",
                "/api/plugin-core/jobs/{jobId}/logs");
        embedded(r, POST, "/api/system/containers/{containerId}/restart", containers + "; run a job again by resubmitting it",
                "/api/plugin-core/jobs/{jobId}/resubmit");
        embedded(r, PUT, "/api/system/containers/{containerId}/resources", containers + "; change a pending job's resources "
                + "instead", "/api/plugin-core/jobs/{jobId}");
    }

    /** A hosted-deployment path: 501 saying why and where to look instead, never a bare 404. */
    private static void embedded(Router r, HandlerType method, String path, String why, String... instead) {
        Scope scope = method == GET ? Scope.READ : Scope.ADMIN;
        r.route(method, path, scope, c -> {
            throw Problem.of(501, Problem.Type.UNSUPPORTED, "not served by an embedded Cortex engine: " + why)
                    .with("feature", "embedded").with("seeInstead", List.of(instead));
        });
    }

    // ---------------------------------------------------------------------------------------------
    // logging
    // ---------------------------------------------------------------------------------------------

    private void loggingConfig(Call c) {
        JsonNode body = c.jsonObject(true);
        Bodies.allowOnly(body, "maxSize", "maxFiles", "compressionEnabled");
        if (!Bodies.has(body, "maxSize") && !Bodies.has(body, "maxFiles") && !Bodies.has(body, "compressionEnabled")) {
            throw Problem.invalid("body", "required", "the body must set at least one of maxSize, maxFiles, compressionEnabled");
        }
        Long maxSize = maxSize(body);
        Long maxFiles = Bodies.whole(body, "maxFiles", false, 1, LogRotation.MAX_FILES);
        Boolean compression = Bodies.bool(body, "compressionEnabled");
        OperatorLog log = cortex.operatorLog();
        Optional<OperatorLogFile> file = log.file();
        // everything is validated before anything changes
        LogRotation next = null;
        if (file.isPresent()) {
            next = file.get().rotation();
            if (maxSize != null) {
                next = next.withMaxSize(maxSize);
            }
            if (maxFiles != null) {
                next = next.withMaxFiles(maxFiles.intValue());
            }
            if (compression != null) {
                next = next.withCompression(compression);
            }
        }
        Map<String, String> applied = new LinkedHashMap<>();
        Map<String, String> notApplied = new LinkedHashMap<>();
        String noFile = "no operator log file is configured (Cortex.builder().operatorLogFile(path)): the operator log is "
                + "only a ring in memory, which has no files";
        if (maxSize != null) {
            log.maxBytes(maxSize);
            applied.put("maxSize", "the operator log ring keeps at most " + maxSize + " bytes of records (" + DiskSpace.words(maxSize)
                    + ", each record counted at the size of its JSON line), the newest first; it keeps at most "
                    + log.capacity() + " records in any case"
                    + (file.isPresent() ? "; the file rotates when it would grow past " + maxSize + " bytes" : ""));
        }
        if (file.isPresent()) {
            file.get().rotation(next);
            if (maxFiles != null) {
                applied.put("maxFiles", "at most " + maxFiles + " rotated files are kept next to " + file.get().path()
                        + "; older ones were deleted");
            }
            if (compression != null) {
                applied.put("compressionEnabled", compression ? "files rotated from now on are gzipped" : "files rotated from now "
                        + "on stay uncompressed");
            }
        } else {
            if (maxFiles != null) {
                notApplied.put("maxFiles", noFile);
            }
            if (compression != null) {
                notApplied.put("compressionEnabled", noFile);
            }
        }
        log.info(OPERATOR_LOG, null, null, null, "operator log settings changed by key " + c.key().id() + ": applied "
                + applied.keySet() + (notApplied.isEmpty() ? "" : ", not applied " + notApplied.keySet()));
        Map<String, Object> out = loggingView();
        out.put("applied", applied);
        out.put("notApplied", notApplied);
        c.json(200, out);
    }

    private static Long maxSize(JsonNode body) {
        if (!Bodies.has(body, "maxSize")) {
            return null;
        }
        JsonNode v = body.get("maxSize");
        long bytes;
        if (v.isTextual()) {
            try {
                bytes = LogRotation.parseSize("maxSize", v.textValue());
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("maxSize", "format", e.getMessage());
            }
        } else if (v.isIntegralNumber() && v.canConvertToLong()) {
            bytes = v.longValue();
        } else {
            throw Problem.invalid("maxSize", "type", "maxSize must be a size such as \"100MB\" or a whole number of bytes, got " + v);
        }
        if (bytes < LogRotation.MIN_SIZE || bytes > LogRotation.MAX_SIZE) {
            throw Problem.invalid("maxSize", "range", "maxSize must be between " + LogRotation.MIN_SIZE + " bytes (1KiB) and "
                    + LogRotation.MAX_SIZE + " bytes (1TiB), got " + bytes + " bytes");
        }
        return bytes;
    }

    private Map<String, Object> loggingView() {
        OperatorLog log = cortex.operatorLog();
        Map<String, Object> ring = new LinkedHashMap<>();
        ring.put("capacity", log.capacity());
        ring.put("records", log.size());
        ring.put("bytes", log.bytes());
        ring.put("maxBytes", log.maxBytes() == 0 ? null : log.maxBytes());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ring", ring);
        out.put("file", log.file().map(OperationsRoutes::fileView).orElse(null));
        return out;
    }

    private static Map<String, Object> fileView(OperatorLogFile f) {
        LogRotation r = f.rotation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.path().toString());
        m.put("maxSize", r.maxSizeBytes());
        m.put("maxFiles", r.maxFiles());
        m.put("compressionEnabled", r.compress());
        m.put("activeBytes", f.activeBytes());
        m.put("totalBytes", f.totalBytes());
        m.put("rotatedFiles", f.rotatedFiles().stream().map(p -> p.getFileName().toString()).toList());
        m.put("writeErrors", f.writeErrors());
        f.lastError().ifPresent(e -> m.put("lastError", e));
        return m;
    }

    // ---------------------------------------------------------------------------------------------
    // requirements
    // ---------------------------------------------------------------------------------------------

    private Map<String, Object> requirements() {
        List<Map<String, Object>> checks = new ArrayList<>();
        Runtime.Version java = Runtime.version();
        checks.add(check("java", "Java " + MIN_JAVA + " or later", "Java " + java + " (" + System.getProperty("java.vendor") + ")",
                java.feature() >= MIN_JAVA));
        long maxHeap = Runtime.getRuntime().maxMemory();
        checks.add(check("memory", "a maximum heap of at least " + DiskSpace.words(MIN_HEAP_BYTES), "maximum heap "
                + DiskSpace.words(maxHeap) + " (" + maxHeap + " bytes), " + DiskSpace.words(usedHeap()) + " in use",
                maxHeap >= MIN_HEAP_BYTES));
        int cores = Runtime.getRuntime().availableProcessors();
        checks.add(check("cores", "at least " + MIN_CORES + " processor", cores + " available", cores >= MIN_CORES));
        checks.add(storeCheck());
        storageFile().ifPresent(file -> {
            Map<String, Object> space = DiskSpace.of(file);
            long usable = DiskSpace.usable(space);
            checks.add(check("store-disk", "at least " + DiskSpace.words(MIN_STORE_FREE_BYTES) + " free where the store's file "
                    + "lives (" + space.get("path") + ")", usable < 0 ? String.valueOf(space.get("error"))
                    : DiskSpace.words(usable) + " free", usable >= MIN_STORE_FREE_BYTES));
        });
        cortex.operatorLog().file().ifPresent(f -> {
            Map<String, Object> space = DiskSpace.of(f.path());
            long usable = DiskSpace.usable(space);
            long needed = f.rotation().maxSizeBytes();
            checks.add(check("operator-log-disk", "room for one more operator log file (" + DiskSpace.words(needed) + ") where it "
                    + "lives (" + space.get("path") + ")", usable < 0 ? String.valueOf(space.get("error"))
                    : DiskSpace.words(usable) + " free", usable >= needed));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", checks.stream().allMatch(m -> Boolean.TRUE.equals(m.get("ok"))));
        out.put("timestamp", settings.clock().instant());
        out.put("checks", checks);
        return out;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private Map<String, Object> storeCheck() {
        JobStore store = cortex.store();
        String required = "the job store answers";
        try {
            if (store instanceof DatabaseAdmin admin) {
                DatabaseStatus s = admin.status();
                return check("store", required, s.up() ? s.product() + " " + s.productVersion() + " answered in " + s.pingMillis()
                        + " ms (schema version " + s.schemaVersion() + ")" : "down: " + s.message(), s.up());
            }
            store.countByState();
            return check("store", required, store.describe(), true);
        } catch (RuntimeException e) {
            return check("store", required, "down: " + e.getMessage(), false);
        }
    }

    private static Map<String, Object> check(String name, String required, String actual, boolean ok) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("required", required);
        m.put("actual", actual);
        m.put("ok", ok);
        return m;
    }

    private Optional<Path> storageFile() {
        if (cortex.store() instanceof DatabaseAdmin admin) {
            try {
                return admin.storage().localFile();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------
    // storage
    // ---------------------------------------------------------------------------------------------

    private Map<String, Object> storage() {
        JobStore store = cortex.store();
        long jobs = store.countByState().values().stream().mapToLong(Long::longValue).sum();
        Map<String, Object> s = new LinkedHashMap<>();
        String summary;
        if (store instanceof DatabaseAdmin admin) {
            StorageUsage u = admin.storage();
            s.put("kind", u.kind());
            s.put("durable", true);
            s.put("location", u.location());
            s.put("jobs", jobs);
            s.put("usedBytes", u.usedBytes());
            s.put("measuredBy", u.measuredBy());
            if (u.databaseBytes() >= 0) {
                s.put("databaseBytes", u.databaseBytes());
            }
            s.put("tables", new java.util.TreeMap<>(u.tables()));
            if (u.localFile().isPresent()) {
                Map<String, Object> space = DiskSpace.of(u.localFile().get());
                s.put("filesystem", space);
                long free = DiskSpace.usable(space);
                summary = u.kind() + " file " + u.location() + ": " + DiskSpace.words(u.usedBytes()) + " used, "
                        + (free < 0 ? "free space unknown" : DiskSpace.words(free) + " free") + "; " + jobs + " jobs";
            } else {
                s.put("filesystem", null);
                s.put("note", "the database runs elsewhere: its free disk space is not visible from here; ask the database "
                        + "server (e.g. df on its data directory)");
                summary = u.kind() + " at " + u.location() + ": " + DiskSpace.words(u.usedBytes()) + " used by the store's tables"
                        + (u.databaseBytes() >= 0 ? ", " + DiskSpace.words(u.databaseBytes()) + " by the whole database" : "")
                        + "; " + jobs + " jobs";
            }
        } else {
            long estimate = estimateInMemory(store, jobs);
            s.put("kind", "in-memory");
            s.put("durable", false);
            s.put("location", "the host's heap (" + store.getClass().getSimpleName() + ")");
            s.put("jobs", jobs);
            s.put("usedBytes", estimate);
            s.put("measuredBy", "estimated: the JSON size of the newest jobs and their history, times the jobs retained (the "
                    + "heap they take is a few times more)");
            s.put("filesystem", null);
            summary = "in memory: " + jobs + " jobs retained, ≈ " + DiskSpace.words(estimate);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timestamp", settings.clock().instant());
        out.put("summary", summary);
        out.put("store", s);
        out.put("operatorLog", operatorLogStorage());
        return out;
    }

    /** Samples up to 50 of the newest jobs with their events and scales their JSON size to {@code jobs}. */
    private static long estimateInMemory(JobStore store, long jobs) {
        if (jobs == 0) {
            return 0;
        }
        var sample = store.query(JobQuery.all().page(0, 50)).items();
        if (sample.isEmpty()) {
            return 0;
        }
        long bytes = 0;
        for (var job : sample) {
            try {
                bytes += CortexJson.mapper().writeValueAsBytes(job).length;
                bytes += CortexJson.mapper().writeValueAsBytes(store.events(job.id())).length;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot measure job " + job.id() + ": " + e.getOriginalMessage(), e);
            }
        }
        return bytes * jobs / sample.size();
    }

    private Map<String, Object> operatorLogStorage() {
        OperatorLog log = cortex.operatorLog();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ringRecords", log.size());
        m.put("ringBytes", log.bytes());
        log.file().ifPresent(f -> {
            m.put("file", f.path().toString());
            m.put("fileBytes", f.totalBytes());
            m.put("files", 1 + f.rotatedFiles().size());
            m.put("filesystem", DiskSpace.of(f.path()));
        });
        return m;
    }
}
