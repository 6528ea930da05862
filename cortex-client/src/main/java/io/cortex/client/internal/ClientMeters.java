package io.cortex.client.internal;

import io.cortex.client.CircuitOpenException;
import io.cortex.client.CortexApiException;
import io.cortex.client.CortexIoException;
import io.cortex.client.RateLimitedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records a client's meters in a Micrometer {@link MeterRegistry}: {@code cortex.client.calls}, a timer
 * of whole calls (every attempt and wait included) by method, outcome and final status, and
 * {@code cortex.client.retries}, a counter of retries by method, reason and status. The only class of
 * cortex-client that names a Micrometer type: loaded only when a registry is given to
 * {@code CortexClient.builder().meterRegistry(…)}.
 *
 * <p>The meters belong to the registry, not to one client: clients sharing a registry add up, and
 * closing a client leaves them (as Micrometer's own HTTP client instrumentation does). Tags never hold
 * a path (paths carry job ids); a status is the HTTP status code, or {@code NONE} when no answer came.
 */
public final class ClientMeters {
    private static final String NONE = "NONE";

    private final MeterRegistry registry;
    private final Map<String, Timer> calls = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();

    private ClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Meters recorded into {@code registry}.
     *
     * @param registry a {@code MeterRegistry} (checked by the builder)
     * @return the meters
     */
    public static ClientMeters of(Object registry) {
        return new ClientMeters((MeterRegistry) registry);
    }

    /**
     * Records one call that ended.
     *
     * @param method the HTTP method
     * @param failure what the call threw, or null when it returned a value
     * @param status the HTTP status of the last answer, 0 when none
     * @param nanos how long the call took, waits between attempts included
     */
    void call(String method, Throwable failure, int status, long nanos) {
        String outcome = failure == null ? "SUCCESS" : outcome(failure);
        String statusTag;
        if (failure == null) {
            statusTag = Integer.toString(status);
        } else if (failure instanceof CortexApiException e && e.status() > 0) {
            statusTag = Integer.toString(e.status());
        } else {
            statusTag = NONE;
        }
        calls.computeIfAbsent(method + ' ' + outcome + ' ' + statusTag, k -> Timer.builder("cortex.client.calls")
                .description("Calls of the Cortex client, timed from the first attempt to the answer or the last "
                        + "failure (retries and their waits included), by method, outcome and final status")
                .tag("method", method).tag("outcome", outcome).tag("status", statusTag).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Records one retry about to happen.
     *
     * @param method the HTTP method
     * @param failure why the attempt failed
     */
    void retry(String method, CortexApiException failure) {
        String reason = outcome(failure);
        String status = failure.status() > 0 ? Integer.toString(failure.status()) : NONE;
        retries.computeIfAbsent(method + ' ' + reason + ' ' + status, k -> Counter.builder("cortex.client.retries")
                .description("Retries made by the Cortex client, by method, reason (RATE_LIMITED, SERVER_ERROR, "
                        + "CLIENT_ERROR, TIMEOUT, NETWORK_ERROR) and the status that caused them")
                .tag("method", method).tag("reason", reason).tag("status", status).register(registry))
                .increment();
    }

    /** How a call or an attempt failed, as a low-cardinality word. */
    static String outcome(Throwable failure) {
        if (failure instanceof RateLimitedException) {
            return "RATE_LIMITED";
        }
        if (failure instanceof CircuitOpenException) {
            return "CIRCUIT_OPEN";
        }
        if (failure instanceof CortexIoException io) {
            return io.getCause() instanceof InterruptedIOException ? "TIMEOUT" : "NETWORK_ERROR";
        }
        if (failure instanceof CortexApiException e) {
            return e.status() >= 500 ? "SERVER_ERROR" : "CLIENT_ERROR";
        }
        return failure instanceof CancellationException ? "CANCELLED" : "UNKNOWN";
    }
}
