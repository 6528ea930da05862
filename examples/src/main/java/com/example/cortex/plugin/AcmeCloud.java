package com.example.cortex.plugin;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the remote "Acme Cloud" API so the sample runs anywhere; in a real plugin this is
 * the HTTP client of the service. It speaks like a web API: calls take a session token and fail
 * with an {@link AcmeException} carrying an HTTP-like status.
 *
 * <p>What a job does is read from its command: {@code fail <code>} exits with that code,
 * {@code hang} runs until cancelled, {@code wait-in-queue} never starts, {@code echo <lines…>}
 * prints each argument as a line; anything else succeeds. Jobs start after the start delay and end
 * after the run time; each run is charged from the wallet.
 */
public final class AcmeCloud implements AutoCloseable {
    /** The remote states, as the service names them. */
    public enum State {
        /** Waiting for a machine. */
        PENDING,
        /** On a machine. */
        RUNNING,
        /** Exited with code 0. */
        DONE,
        /** Exited with another code. */
        ERROR,
        /** Stopped by a user. */
        STOPPED
    }

    /**
     * One remote job as the API returns it.
     *
     * @param id the service's job id
     * @param state its state
     * @param exitCode the exit code once ended, else null
     */
    public record RemoteJob(String id, State state, Integer exitCode) {}

    /**
     * One line of a job's output as the API returns it.
     *
     * @param at when the service saw it
     * @param text the line
     */
    public record OutputLine(Instant at, String text) {}

    /** Thrown by every call that fails, with the HTTP-like status the service answered. */
    public static final class AcmeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        /** A failure with {@code status} (401 unauthorized, 402 no funds, 404 unknown, 429 busy, 503 down). */
        public AcmeException(int status, String message) {
            super(status + " " + message);
            this.status = status;
        }

        /** The status the service answered. */
        public int status() {
            return status;
        }
    }

    private static final class Job {
        final String id;
        final List<String> command;
        final List<OutputLine> output = new ArrayList<>();
        State state = State.PENDING;
        Integer exitCode;

        Job(String id, List<String> command) {
            this.id = id;
            this.command = command;
        }
    }

    private final Clock clock;
    private final Duration startDelay;
    private final Duration runTime;
    private final BigDecimal pricePerRun;
    private final ScheduledExecutorService machines;
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, String> sessions = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private BigDecimal balance;

    /**
     * A simulated service.
     *
     * @throws NullPointerException when an argument is null
     */
    public AcmeCloud(Clock clock, Duration startDelay, Duration runTime, BigDecimal pricePerRun, BigDecimal balance) {
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.startDelay = Objects.requireNonNull(startDelay, "startDelay cannot be null");
        this.runTime = Objects.requireNonNull(runTime, "runTime cannot be null");
        this.pricePerRun = Objects.requireNonNull(pricePerRun, "pricePerRun cannot be null");
        this.balance = Objects.requireNonNull(balance, "balance cannot be null");
        this.machines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acme-cloud-simulator");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Exchanges an API key for a session token (POST /v1/sessions).
     *
     * @throws AcmeException 401 when the key is blank or revoked
     */
    public synchronized String login(String apiKey) {
        if (apiKey == null || apiKey.isBlank() || apiKey.startsWith("revoked")) {
            throw new AcmeException(401, "invalid API key");
        }
        String token = "session-" + UUID.randomUUID();
        sessions.put(token, apiKey);
        return token;
    }

    /**
     * Ends a session (DELETE /v1/sessions/current).
     */
    public synchronized void logout(String session) {
        sessions.remove(session);
    }

    /**
     * Starts a job (POST /v1/jobs).
     *
     * @throws AcmeException 401 for a bad session, 402 when the wallet cannot pay one run
     */
    public synchronized String start(String session, List<String> command) {
        authorize(session);
        if (balance.compareTo(pricePerRun) < 0) {
            throw new AcmeException(402, "wallet holds " + balance.toPlainString() + ", a run costs " + pricePerRun.toPlainString());
        }
        Job job = new Job("acme-" + ids.incrementAndGet(), List.copyOf(command));
        jobs.put(job.id, job);
        balance = balance.subtract(pricePerRun);
        String verb = command.isEmpty() ? "" : command.get(0);
        if (!verb.equals("wait-in-queue")) {
            machines.schedule(() -> begin(job), startDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return job.id;
    }

    /**
     * Reads a job (GET /v1/jobs/{id}).
     *
     * @throws AcmeException 401 for a bad session, 404 for an unknown job
     */
    public synchronized RemoteJob get(String session, String id) {
        Job job = job(session, id);
        return new RemoteJob(job.id, job.state, job.exitCode);
    }

    /**
     * Stops a job (POST /v1/jobs/{id}/stop); stopping an ended job does nothing.
     *
     * @throws AcmeException 401 for a bad session, 404 for an unknown job
     */
    public synchronized void stop(String session, String id) {
        Job job = job(session, id);
        if (job.state == State.PENDING || job.state == State.RUNNING) {
            job.state = State.STOPPED;
        }
    }

    /**
     * A job's output (GET /v1/jobs/{id}/output).
     *
     * @throws AcmeException 401 for a bad session, 404 for an unknown job
     */
    public synchronized List<OutputLine> output(String session, String id) {
        return List.copyOf(job(session, id).output);
    }

    /**
     * The wallet (GET /v1/wallet).
     *
     * @throws AcmeException 401 for a bad session
     */
    public synchronized BigDecimal balance(String session) {
        authorize(session);
        return balance;
    }

    /**
     * Adds funds (POST /v1/wallet/deposits) and returns the new balance.
     *
     * @throws AcmeException 401 for a bad session
     */
    public synchronized BigDecimal deposit(String session, BigDecimal amount) {
        authorize(session);
        balance = balance.add(amount);
        return balance;
    }

    /**
     * Answers when the service is up (GET /v1/ping).
     *
     * @throws AcmeException 401 for a bad session
     */
    public synchronized void ping(String session) {
        authorize(session);
    }

    /** Stops the simulated machines. */
    @Override
    public void close() {
        machines.shutdownNow();
    }

    private void authorize(String session) {
        if (session == null || !sessions.containsKey(session)) {
            throw new AcmeException(401, "session expired or unknown");
        }
    }

    private Job job(String session, String id) {
        authorize(session);
        Job job = jobs.get(id);
        if (job == null) {
            throw new AcmeException(404, "no job " + id);
        }
        return job;
    }

    private synchronized void begin(Job job) {
        if (job.state != State.PENDING) {
            return;
        }
        job.state = State.RUNNING;
        if (job.command.size() > 0 && job.command.get(0).equals("echo")) {
            for (String line : job.command.subList(1, job.command.size())) {
                job.output.add(new OutputLine(clock.instant(), line));
            }
        }
        if (!(job.command.size() > 0 && job.command.get(0).equals("hang"))) {
            machines.schedule(() -> end(job), runTime.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void end(Job job) {
        if (job.state != State.RUNNING) {
            return;
        }
        int code = 0;
        if (job.command.size() > 0 && job.command.get(0).equals("fail")) {
            code = job.command.size() > 1 && job.command.get(1).matches("[1-9][0-9]{0,2}") ? Integer.parseInt(job.command.get(1)) : 1;
        }
        job.exitCode = code;
        job.state = code == 0 ? State.DONE : State.ERROR;
    }
}
