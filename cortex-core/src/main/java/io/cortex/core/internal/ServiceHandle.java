package io.cortex.core.internal;

import io.cortex.core.service.ManagedService;
import io.cortex.core.service.ServiceInfo;
import io.cortex.core.service.ServiceState;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named engine service: either a periodic pass run on the engine's scheduler (or by hand on
 * {@code tick()}), or a {@link ManagedService} with its own threads.
 */
public final class ServiceHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHandle.class);

    private final String name;
    private final String description;
    private final Runnable pass;
    private final ManagedService managed;
    private final Clock clock;
    private ServiceState state = ServiceState.STOPPED;
    private Instant since;
    private volatile Instant lastRun;
    private volatile long runs;
    private int restarts;
    private String failure;
    private volatile String lastError;
    private ScheduledFuture<?> future;

    private ServiceHandle(String name, String description, Runnable pass, ManagedService managed, Clock clock) {
        this.name = name;
        this.description = description;
        this.pass = pass;
        this.managed = managed;
        this.clock = clock;
        this.since = clock.instant();
    }

    public static ServiceHandle periodic(String name, String description, Runnable pass, Clock clock) {
        return new ServiceHandle(name, description, pass, null, clock);
    }

    public static ServiceHandle managed(ManagedService service, Clock clock) {
        return new ServiceHandle(service.name(), service.description(), null, service, clock);
    }

    public String name() {
        return name;
    }

    /** Starts it; a periodic pass is scheduled every {@code periodMillis} on {@code scheduler} (null: run by hand). */
    public synchronized void start(ScheduledExecutorService scheduler, long periodMillis) {
        if (state == ServiceState.RUNNING) {
            return;
        }
        if (managed != null) {
            try {
                managed.start();
            } catch (RuntimeException e) {
                fail(e);
                throw e;
            }
        } else if (scheduler != null) {
            future = scheduler.scheduleWithFixedDelay(this::runOnce, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
        state = ServiceState.RUNNING;
        failure = null;
        since = clock.instant();
    }

    public synchronized void stop() {
        if (managed != null) {
            managed.stop();
        }
        if (future != null) {
            future.cancel(false);
            future = null;
        }
        if (state != ServiceState.FAILED) {
            state = ServiceState.STOPPED;
        }
        since = clock.instant();
    }

    public synchronized void restart(ScheduledExecutorService scheduler, long periodMillis) {
        stop();
        state = ServiceState.STOPPED;
        restarts++;
        start(scheduler, periodMillis);
    }

    /** Runs the pass once if the service is running; errors are recorded, an {@link Error} fails the service. */
    public void runOnce() {
        if (pass == null || !isRunning()) {
            return;
        }
        try {
            pass.run();
            lastError = null;
        } catch (RuntimeException e) {
            lastError = e.toString();
            LOG.error("service {} pass failed; it keeps running", name, e);
        } catch (Error e) {
            LOG.error("service {} failed", name, e);
            fail(e);
        }
        lastRun = clock.instant();
        runs++;
    }

    private synchronized void fail(Throwable e) {
        state = ServiceState.FAILED;
        failure = e.toString();
        since = clock.instant();
        if (future != null) {
            future.cancel(false);
            future = null;
        }
    }

    public synchronized boolean isRunning() {
        if (managed != null && state == ServiceState.RUNNING && !managed.isRunning()) {
            return false;
        }
        return state == ServiceState.RUNNING;
    }

    public synchronized ServiceInfo info() {
        ServiceState s = state;
        String why = failure;
        if (managed != null && s == ServiceState.RUNNING && !managed.isRunning()) {
            s = ServiceState.FAILED;
            why = "its threads stopped";
        }
        return new ServiceInfo(name, description + (lastError != null ? " (last pass failed: " + lastError + ")" : ""),
                s, since, lastRun, runs, restarts, why);
    }
}
