package io.cortex.core.internal;

import io.cortex.core.job.JobId;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.CredentialManager;
import io.cortex.core.provider.EndpointManager;
import io.cortex.core.provider.LogSource;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderInfo;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.Wallet;
import io.cortex.core.provider.WalletBalance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The engine's runtime view of one provider: status with hysteresis, caches, counters. */
public final class ProviderSlot {
    public final ProviderId id;
    public final String type;
    public final ComputeProvider provider;
    public final boolean nonBlocking;
    /** Jobs this engine has ASSIGNED or RUNNING here (striped: every placement and finish writes it, from any thread). */
    public final StripedCounter inFlight = new StripedCounter();
    /** The placement note of this provider being chosen at no cost: shared, it is immutable. */
    public final PlacementNote chosenNote;

    private ProviderStatus status = ProviderStatus.ONLINE;
    private ReasonCode reason;
    private String message = "not checked yet";
    private Instant since;
    private Instant lastCheck;
    private ProviderStatus candidate;
    private int candidateCount;
    private int consecutiveFailures;
    private volatile ProviderCapabilities capabilities;
    private volatile WalletBalance balance;
    private volatile Consumer<ProviderSlot> balanceObserver;
    private volatile Instant congestedUntil;
    private volatile boolean authFailed;
    private boolean walletLowNotified;
    private volatile Instant healthCallStartedAt;
    private volatile int congestedInARow;
    private final Map<JobId, ProviderJobRef> orphans = new LinkedHashMap<>();

    public ProviderSlot(ComputeProvider provider, boolean nonBlocking, Instant now) {
        this.id = provider.id();
        this.type = provider.type();
        this.provider = provider;
        this.nonBlocking = nonBlocking;
        this.since = now;
        this.chosenNote = new PlacementNote(provider.id(), ReasonCode.PLACED, "chosen");
    }

    /** The outcome of one health observation. */
    public record Observation(ProviderStatus before, ProviderStatus after, boolean changed) {}

    /**
     * Records one health observation; the status changes only after {@code threshold} observations
     * in a row agree (the first observation ever applies at once).
     */
    public synchronized Observation observe(ProviderStatus observed, ReasonCode why, String text, Instant now, int threshold) {
        ProviderStatus before = status;
        boolean first = lastCheck == null;
        lastCheck = now;
        consecutiveFailures = observed == ProviderStatus.ONLINE ? 0 : consecutiveFailures + 1;
        if (observed == status) {
            candidate = null;
            candidateCount = 0;
            reason = why;
            message = text;
            return new Observation(before, status, false);
        }
        if (observed == candidate) {
            candidateCount++;
        } else {
            candidate = observed;
            candidateCount = 1;
        }
        if (first || candidateCount >= threshold) {
            status = observed;
            reason = why;
            message = text;
            since = now;
            candidate = null;
            candidateCount = 0;
            return new Observation(before, status, true);
        }
        return new Observation(before, status, false);
    }

    /** Forces a status at once (a definitive answer such as refused credentials). */
    public synchronized Observation force(ProviderStatus value, ReasonCode why, String text, Instant now) {
        ProviderStatus before = status;
        lastCheck = now; // a forced answer counts as an observation, so the next one is subject to hysteresis
        status = value;
        reason = why;
        message = text;
        candidate = null;
        candidateCount = 0;
        if (before != value) {
            since = now;
        }
        return new Observation(before, value, before != value);
    }

    public synchronized ProviderStatus status() {
        return status;
    }

    public synchronized ReasonCode reason() {
        return reason;
    }

    public synchronized String message() {
        return message;
    }

    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    public void capabilities(ProviderCapabilities value) {
        this.capabilities = value;
    }

    public WalletBalance balance() {
        return balance;
    }

    public void balance(WalletBalance value) {
        this.balance = value;
        Consumer<ProviderSlot> o = balanceObserver;
        if (o != null && value != null) {
            o.accept(this);
        }
    }

    /** Told after each balance read (the meters register a wallet gauge per currency); null for none. */
    public void balanceObserver(Consumer<ProviderSlot> value) {
        this.balanceObserver = value;
    }

    public Instant congestedUntil() {
        return congestedUntil;
    }

    public void congestedUntil(Instant value) {
        this.congestedUntil = value;
    }

    /**
     * The provider reported NO_CAPACITY: placement avoids it for {@code base}, doubled for each report
     * in a row (at most 32 × base), so a job waiting for capacity does not bounce every few seconds.
     */
    public synchronized void congested(Instant now, Duration base) {
        congestedInARow = Math.min(congestedInARow + 1, 6);
        congestedUntil = now.plus(base.multipliedBy(1L << (congestedInARow - 1)));
    }

    /** The provider accepted a job: congestion is over. */
    public void accepting() {
        if (congestedInARow == 0) {
            return; // the common case: no lock on the submit path
        }
        synchronized (this) {
            congestedInARow = 0;
            congestedUntil = null;
        }
    }

    /** Remembers an attempt moved off this provider while it was offline, to cancel when it answers again. */
    public synchronized void cancelWhenBack(JobId job, ProviderJobRef ref) {
        if (orphans.size() < 100_000) {
            orphans.put(job, ref);
        }
    }

    /** The attempts to cancel now that the provider answers again (and forgets them). */
    public synchronized List<Map.Entry<JobId, ProviderJobRef>> takeOrphans() {
        List<Map.Entry<JobId, ProviderJobRef>> out =
                new ArrayList<>();
        orphans.forEach((job, ref) -> out.add(Map.entry(job, ref)));
        orphans.clear();
        return out;
    }

    public boolean authFailed() {
        return authFailed;
    }

    public void authFailed(boolean value) {
        this.authFailed = value;
    }

    public Instant healthCallStartedAt() {
        return healthCallStartedAt;
    }

    public void healthCallStartedAt(Instant value) {
        this.healthCallStartedAt = value;
    }

    /** Returns true when the wallet-low event should be sent now (once until the wallet recovers). */
    public synchronized boolean markWalletLow(boolean low) {
        boolean send = low && !walletLowNotified;
        walletLowNotified = low;
        return send;
    }

    public Wallet wallet() {
        return provider instanceof Wallet w ? w : null;
    }

    public CredentialManager credentialManager() {
        return provider instanceof CredentialManager c ? c : null;
    }

    public EndpointManager endpointManager() {
        return provider instanceof EndpointManager e ? e : null;
    }

    public LogSource logSource() {
        return provider instanceof LogSource l ? l : null;
    }

    public synchronized ProviderInfo info() {
        Set<String> abilities = new LinkedHashSet<>();
        if (logSource() != null) {
            abilities.add("logs");
        }
        if (wallet() != null) {
            abilities.add("wallet");
        }
        if (credentialManager() != null) {
            abilities.add("credentials");
        }
        if (endpointManager() != null) {
            abilities.add("endpoints");
        }
        return new ProviderInfo(id, type, status, reason, message, since, lastCheck, consecutiveFailures, inFlight.intValue(),
                capabilities, abilities, congestedUntil);
    }
}
