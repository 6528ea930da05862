package com.example.cortex.plugin;

import com.example.cortex.plugin.AcmeCloud.AcmeException;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.CredentialManager;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.LogSource;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.core.provider.Wallet;
import io.cortex.core.provider.WalletBalance;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs jobs on Acme Cloud. Implements the required {@link ComputeProvider} and three optional
 * abilities: {@link LogSource} (the job's output), {@link Wallet} (Acme bills per run) and
 * {@link CredentialManager} (an API key exchanged for a session that can be renewed).
 *
 * <p>The whole job of a plugin is translation: Cortex's calls into the service's API, the service's
 * states into {@link RemoteStatus}, and the service's errors into {@link ProviderException}s with the
 * {@link ReasonCode} that tells the engine what to do next. Thread-safe: the engine calls it from
 * several threads.
 */
public final class AcmeProvider implements ComputeProvider, LogSource, Wallet, CredentialManager {
    /** The type this plugin registers. */
    public static final String TYPE = "acme";

    private final ProviderId id;
    private final ProviderCapabilities capabilities;
    private final AcmeCloud cloud;
    private volatile Credentials credentials;
    private volatile String session;
    private volatile boolean closed;

    /**
     * A provider talking to {@code cloud} with {@code credentials} (which must hold {@code apiKey}).
     *
     * @throws NullPointerException when an argument is null
     * @throws ProviderException with AUTH_FAILED when the service refuses the key
     */
    AcmeProvider(ProviderId id, ProviderCapabilities capabilities, AcmeCloud cloud, Credentials credentials) {
        this.id = Objects.requireNonNull(id, "id cannot be null");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities cannot be null");
        this.cloud = Objects.requireNonNull(cloud, "cloud cannot be null");
        this.credentials = Objects.requireNonNull(credentials, "credentials cannot be null");
        this.session = call(() -> cloud.login(apiKey(credentials)), "log in");
    }

    @Override
    public ProviderId id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProviderHealth checkHealth() {
        if (closed) {
            return ProviderHealth.offline("provider " + id + " is closed");
        }
        try {
            cloud.ping(session);
            return ProviderHealth.online();
        } catch (AcmeException e) {
            ProviderException p = translate(e, "ping");
            return p.reason() == ReasonCode.PROVIDER_OFFLINE ? ProviderHealth.offline(p.getMessage())
                    : ProviderHealth.degraded(p.reason(), p.getMessage());
        }
    }

    @Override
    public ProviderJobRef submit(JobSpec spec, AttemptRef attempt) {
        Objects.requireNonNull(spec, "spec cannot be null");
        Objects.requireNonNull(attempt, "attempt cannot be null");
        ensureOpen();
        Resources r = spec.resources();
        if (r.cpuMillis() > capabilities.maxCpuMillis() || r.memory().exceeds(capabilities.maxMemory())
                || r.storage().exceeds(capabilities.maxStorage()) || r.gpus() > capabilities.maxGpus()) {
            throw new ProviderException(ReasonCode.RESOURCES_EXCEED_CAPABILITIES, "job " + attempt + " asks for " + r
                    + "; Acme machines offer at most cpu=" + capabilities.maxCpuMillis() + "m memory=" + capabilities.maxMemory()
                    + " storage=" + capabilities.maxStorage());
        }
        // never send spec.env() values to a log or a message: they may hold secrets
        String remoteId = call(() -> cloud.start(session, spec.command()), "start job " + attempt);
        return ProviderJobRef.of(remoteId);
    }

    @Override
    public RemoteStatus status(ProviderJobRef ref) {
        Objects.requireNonNull(ref, "ref cannot be null");
        AcmeCloud.RemoteJob job = call(() -> cloud.get(session, ref.value()), "read job " + ref);
        return switch (job.state()) {
            case PENDING -> RemoteStatus.queued();
            case RUNNING -> RemoteStatus.running();
            case DONE -> RemoteStatus.succeeded();
            case ERROR -> RemoteStatus.exited(job.exitCode(), "Acme job " + ref + " exited with code " + job.exitCode());
            case STOPPED -> RemoteStatus.cancelled();
        };
    }

    @Override
    public void cancel(ProviderJobRef ref) {
        Objects.requireNonNull(ref, "ref cannot be null");
        call(() -> {
            cloud.stop(session, ref.value());
            return null;
        }, "stop job " + ref);
    }

    @Override
    public List<LogLine> logs(ProviderJobRef ref, long afterSequence, int limit) {
        Objects.requireNonNull(ref, "ref cannot be null");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        List<AcmeCloud.OutputLine> output = call(() -> cloud.output(session, ref.value()), "read the output of " + ref);
        List<LogLine> lines = new ArrayList<>();
        // Acme returns the whole output; the line's index is a stable sequence to resume from
        for (int i = (int) Math.max(0, afterSequence + 1); i < output.size() && lines.size() < limit; i++) {
            lines.add(new LogLine(i, output.get(i).at(), "stdout", output.get(i).text()));
        }
        return lines;
    }

    @Override
    public WalletBalance balance() {
        return new WalletBalance(call(() -> cloud.balance(session), "read the wallet"), capabilities.currency());
    }

    @Override
    public WalletBalance topUp(BigDecimal amount) {
        Objects.requireNonNull(amount, "amount cannot be null");
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive, got " + amount.toPlainString());
        }
        return new WalletBalance(call(() -> cloud.deposit(session, amount), "top up the wallet"), capabilities.currency());
    }

    @Override
    public void updateCredentials(Credentials value) {
        Objects.requireNonNull(value, "credentials cannot be null");
        String fresh = call(() -> cloud.login(apiKey(value)), "log in with the new credentials");
        String old = session;
        this.credentials = value;
        this.session = fresh;
        cloud.logout(old);
    }

    @Override
    public void refreshCredentials() {
        String fresh = call(() -> cloud.login(apiKey(credentials)), "renew the session");
        String old = session;
        this.session = fresh;
        cloud.logout(old);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cloud.logout(session);
            cloud.close();
        }
    }

    /** Names the provider only: no key, no session token. */
    @Override
    public String toString() {
        return "AcmeProvider{" + id + (closed ? ", closed" : "") + ", credentials=" + credentials + "}";
    }

    private void ensureOpen() {
        if (closed) {
            throw new ProviderException(ReasonCode.PROVIDER_OFFLINE, "provider " + id + " is closed");
        }
    }

    private static String apiKey(Credentials c) {
        return c.get("apiKey").orElseThrow(() -> new ProviderException(ReasonCode.AUTH_FAILED,
                "credentials hold no 'apiKey'; configure credentials.apiKey=env:ACME_API_KEY"));
    }

    /** One remote call, its failure translated into a reason code the engine acts on. */
    private <T> T call(java.util.function.Supplier<T> request, String what) {
        try {
            return request.get();
        } catch (AcmeException e) {
            throw translate(e, what);
        }
    }

    private ProviderException translate(AcmeException e, String what) {
        ReasonCode reason = switch (e.status()) {
            case 401, 403 -> ReasonCode.AUTH_FAILED;           // the engine refreshes credentials, then tries elsewhere
            case 402 -> ReasonCode.INSUFFICIENT_FUNDS;          // the engine tries another provider; an operator tops up
            case 404 -> ReasonCode.PROVIDER_LOST_JOB;           // unknown handle
            case 429 -> ReasonCode.NO_CAPACITY;                 // busy: the engine backs off this provider
            case 500, 502, 503, 504 -> ReasonCode.PROVIDER_OFFLINE;
            default -> ReasonCode.PROVIDER_REJECTED;
        };
        // the service's message never holds our key; ours never does either
        return new ProviderException(reason, "Acme Cloud could not " + what + " for provider " + id + ": " + e.getMessage(), e);
    }
}
