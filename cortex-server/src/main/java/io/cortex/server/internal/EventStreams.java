package io.cortex.server.internal;

import static io.javalin.http.HandlerType.GET;

import io.cortex.core.Cortex;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.job.JobId;
import io.cortex.server.Scope;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookPayloads;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/plugin-core/events}: the engine's events (and the webhook dispatcher's
 * {@code webhook.endpoint.disabled}) as Server-Sent Events, each message
 * {@code id: <n>} / {@code event: <type>} / {@code data: <the webhook body>}.
 *
 * <p>An engine listener appends every event to the {@link EventBuffer} replay window; each client
 * reads the window from its own cursor on its own request thread, filters by type and job, and
 * writes what it found in one flush. A client that resumes ({@code Last-Event-ID} header, or the
 * {@code lastEventId} query parameter) from an id older than the window, or one that falls that
 * far behind while connected, first gets a {@value #GAP} message, then every event still held. A
 * {@code : keep-alive} comment goes out when nothing was written for the keep-alive interval; that
 * write is also how a client that went away is noticed. A stalled client blocks only its own
 * thread, until the connector's idle timeout fails the write; the engine and the other clients go
 * on. At most {@code maxClients} streams are open at once (each holds a request thread); one more
 * is answered 503 with {@code Retry-After}. {@link #close()} ends every stream.
 *
 * <p>Why not Javalin's {@code sse()}: its handler answers nothing unless the request carries
 * {@code Accept: text/event-stream} (curl and {@code fetch} do not by default), flushes after every
 * message, and would still need the window, the cursors, the keep-alive timing and the shutdown.
 */
public final class EventStreams implements AutoCloseable {
    /** The path served. */
    public static final String PATH = "/api/plugin-core/events";
    /** The type of the message that says events were lost. */
    public static final String GAP = "cortex.replay.gap";

    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final int BATCH = 512;

    private final EventBuffer buffer;
    private final long keepAliveNanos;
    private final int maxClients;
    private final AtomicInteger clients = new AtomicInteger();
    private final AutoCloseable engineListener;
    private final AutoCloseable dispatcherListener;

    /**
     * Starts recording the engine's (and the dispatcher's) events into a new replay window.
     *
     * @param cortex the engine
     * @param dispatcher the webhook dispatcher whose disabled endpoints are streamed too, or null
     * @param window the most events held for replay
     * @param keepAlive the longest a stream stays silent
     * @param maxClients the most streams open at once
     * @param firstId the id of the first event, e.g. derived from the wall clock so that a restarted
     *     server's ids are higher than its predecessor's
     */
    public EventStreams(Cortex cortex, WebhookDispatcher dispatcher, int window, Duration keepAlive, int maxClients,
            long firstId) {
        this.buffer = new EventBuffer(window, firstId);
        this.keepAliveNanos = keepAlive.toNanos();
        this.maxClients = maxClients;
        this.engineListener = cortex.addListener(this::record);
        this.dispatcherListener = dispatcher == null ? null
                : dispatcher.addEndpointDisabledListener(d -> buffer.append(d.type(), null, () -> WebhookPayloads.of(d)));
    }

    private void record(CortexEvent e) {
        buffer.append(e.type(), e.job() == null ? null : e.job().job().id().value(), () -> WebhookPayloads.of(e));
    }

    /**
     * Registers the route.
     *
     * @param r the route table
     */
    public void register(Router r) {
        r.route(GET, PATH, Scope.READ, this::stream);
    }

    /**
     * How many streams are open now.
     *
     * @return the count
     */
    public int clients() {
        return clients.get();
    }

    /** Ends every stream (each finishes its response) and stops recording. Idempotent. */
    @Override
    public void close() {
        buffer.close();
        closeQuietly(engineListener);
        closeQuietly(dispatcherListener);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("removing an event stream listener failed", e);
        }
    }

    private void stream(Call c) {
        Set<String> types = types(c);
        String jobId = jobId(c);
        Long resume = resumeFrom(c);
        if (clients.incrementAndGet() > maxClients) {
            clients.decrementAndGet();
            throw Problem.of(503, Problem.Type.UNAVAILABLE, maxClients + " event streams are open, the most this server "
                    + "allows; retry later or close another").header("Retry-After", "5");
        }
        try {
            HttpServletResponse res = c.ctx().res();
            res.setStatus(200);
            res.setContentType("text/event-stream");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no");
            OutputStream out = res.getOutputStream();
            res.flushBuffer();
            pump(out, resume != null ? resume : buffer.newestId(), types, jobId);
        } catch (IOException e) {
            LOG.debug("event stream ended: the client went away or stopped reading ({})", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.decrementAndGet();
        }
    }

    /** Writes what the window holds after {@code cursor}, then waits for more, until closed or the client is gone. */
    private void pump(OutputStream out, long cursor, Set<String> types, String jobId) throws IOException, InterruptedException {
        long lastWrite = System.nanoTime();
        while (true) {
            long silent = System.nanoTime() - lastWrite;
            EventBuffer.Batch b = buffer.read(cursor, BATCH, Math.max(0, keepAliveNanos - silent));
            if (b.closed()) {
                return;
            }
            boolean wrote = false;
            if (b.gap()) {
                out.write(gap(cursor, b.oldestAvailable()));
                cursor = b.oldestAvailable() - 1;
                wrote = true;
            }
            for (EventBuffer.Entry e : b.entries()) {
                cursor = e.id();
                if ((types == null || types.contains(e.type())) && (jobId == null || jobId.equals(e.jobId()))) {
                    out.write(e.frame());
                    wrote = true;
                }
            }
            if (!wrote && System.nanoTime() - lastWrite >= keepAliveNanos) {
                out.write(KEEP_ALIVE);
                wrote = true;
            }
            if (wrote) {
                out.flush();
                lastWrite = System.nanoTime();
            }
        }
    }

    private static byte[] gap(long lastEventId, long oldestAvailable) {
        return ("event: " + GAP + "\ndata: {\"lastEventId\":" + lastEventId + ",\"oldestAvailable\":" + oldestAvailable
                + "}\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The {@code types} filter, repeated or comma-separated; null when absent (every type). */
    private static Set<String> types(Call c) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : c.queries("types")) {
            for (String t : raw.split(",")) {
                String type = t.trim();
                if (type.isEmpty()) {
                    continue;
                }
                if (!EventTypes.ALL.contains(type)) {
                    throw Problem.invalid("types", "format", "types: '" + type + "' is not an event type; known types: "
                            + String.join(", ", EventTypes.ALL)).with("known", EventTypes.ALL);
                }
                out.add(type);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static String jobId(Call c) {
        String raw = c.query("jobId");
        if (raw == null) {
            return null;
        }
        try {
            return JobId.of(raw.trim()).value();
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("jobId", "format", "jobId '" + raw + "' is not a job id: " + e.getMessage());
        }
    }

    /** The id to resume after: the {@code Last-Event-ID} header, else the {@code lastEventId} query parameter. */
    private static Long resumeFrom(Call c) {
        String header = c.header("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return id("Last-Event-ID", header);
        }
        String query = c.query("lastEventId");
        return query == null ? null : id("lastEventId", query);
    }

    private static long id(String name, String raw) {
        try {
            long id = Long.parseLong(raw.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problem.invalid(name, "format", name + " '" + raw + "' is not an event id (a whole number from an earlier "
                + "message's id: line)");
    }
}
