package io.cortex.server.internal;

import io.cortex.core.Cortex;
import io.cortex.core.service.ServiceInfo;
import io.cortex.webhooks.WebhookDispatcher;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/system/processes}: the JVM's threads with their state and CPU time (from
 * {@link ThreadMXBean}), grouped by the engine service whose work they do, plus the services.
 *
 * <p>An embedded engine is not a set of processes but threads of its host: the groups are found by
 * the names Cortex gives its threads ({@code cortex-scheduler}, {@code cortex-worker-N},
 * {@code cortex-events}, {@code cortex-webhooks-…}, the store pool's {@code cortex-store…}); Jetty's
 * threads serve this API; every other thread is the host's or the JVM's.
 */
final class Processes {
    /** One group: which threads, which services they carry, and what they do. */
    private record Group(String name, List<String> services, String description, List<String> prefixes) {
        boolean matches(String thread) {
            return prefixes.stream().anyMatch(p -> thread.startsWith(p) || (p.startsWith("*") && thread.endsWith(p.substring(1))));
        }
    }

    private static final List<Group> GROUPS = List.of(
            new Group("engine-scheduler", List.of(Cortex.SCHEDULER, Cortex.PROVIDER_MONITOR, Cortex.METRICS),
                    "runs the periodic passes of the scheduler, the provider monitor and the metrics service",
                    List.of("cortex-scheduler")),
            new Group("provider-calls", List.of(Cortex.SCHEDULER, Cortex.PROVIDER_MONITOR),
                    "makes the blocking calls to providers (submit, status, health, wallet) with timeouts",
                    List.of("cortex-worker-")),
            new Group("event-dispatcher", List.of(Cortex.EVENT_DISPATCHER), "delivers events to listeners, in order for each job",
                    List.of("cortex-events")),
            new Group("webhook-dispatcher", List.of(WebhookDispatcher.SERVICE_NAME),
                    "sends signed webhook deliveries and schedules their retries", List.of("cortex-webhooks-")),
            new Group("store", List.of(), "the job store's connection pool and upkeep (HikariCP, H2)",
                    List.of("cortex-store", "*-h2-housekeeping", "MVStore", "H2 ")),
            new Group("providers", List.of(), "threads of provider plugins (e.g. the process provider's I/O)",
                    List.of("cortex-process-")),
            new Group("http-server", List.of(), "Jetty threads serving this REST API",
                    List.of("JettyServerThreadPool", "qtp", "Connector-Scheduler", "Scheduler-", "VirtualThread", "HttpClient@")),
            new Group("host", List.of(), "threads of the host application and the JVM, not Cortex's", List.of("")));

    private final Cortex cortex;

    Processes(Cortex cortex) {
        this.cortex = cortex;
    }

    /** The answer of {@code GET /api/system/processes}. */
    Map<String, Object> snapshot(Instant now) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpu = mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled();
        ThreadInfo[] infos = mx.getThreadInfo(mx.getAllThreadIds(), 0);
        Map<Group, List<Map<String, Object>>> byGroup = new LinkedHashMap<>();
        GROUPS.forEach(g -> byGroup.put(g, new ArrayList<>()));
        for (ThreadInfo t : infos) {
            if (t == null) {
                continue; // ended meanwhile
            }
            Map<String, Object> thread = new LinkedHashMap<>();
            thread.put("id", t.getThreadId());
            thread.put("name", t.getThreadName());
            thread.put("state", t.getThreadState().name());
            thread.put("daemon", t.isDaemon());
            thread.put("cpuTimeNanos", cpu ? Math.max(-1, mx.getThreadCpuTime(t.getThreadId())) : -1L);
            thread.put("userTimeNanos", cpu ? Math.max(-1, mx.getThreadUserTime(t.getThreadId())) : -1L);
            GROUPS.stream().filter(g -> g.matches(t.getThreadName())).findFirst().ifPresent(g -> byGroup.get(g).add(thread));
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        byGroup.forEach((g, threads) -> {
            if (threads.isEmpty()) {
                return;
            }
            threads.sort(Comparator.comparingLong((Map<String, Object> m) -> (Long) m.get("cpuTimeNanos")).reversed()
                    .thenComparing(m -> (String) m.get("name")));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", g.name());
            out.put("description", g.description());
            out.put("services", g.services());
            out.put("threadCount", threads.size());
            out.put("cpuTimeNanos", threads.stream().mapToLong(m -> Math.max(0, (Long) m.get("cpuTimeNanos"))).sum());
            out.put("threads", threads);
            groups.add(out);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("timestamp", now);
        body.put("pid", ProcessHandle.current().pid());
        body.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        body.put("availableProcessors", os.getAvailableProcessors());
        body.put("processCpuTimeNanos", os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1L);
        body.put("threadCpuTimeMeasured", cpu);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("live", mx.getThreadCount());
        counts.put("daemon", mx.getDaemonThreadCount());
        counts.put("peak", mx.getPeakThreadCount());
        body.put("threads", counts);
        body.put("groups", groups);
        List<ServiceInfo> services = cortex.services();
        body.put("services", services);
        return body;
    }
}
