package io.cortex.store.jdbc;

import io.cortex.core.job.JobSpec;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.RemoteStatus;
import java.time.Clock;
import java.time.Duration;

/**
 * A provider whose attempts live in their handles: {@code <job>/<attempt>/<submitted at>}. Its
 * status is computed from the handle and the clock alone (running for {@code runFor}, then
 * succeeded), so an engine in any process can follow an attempt another engine started: the only
 * state is the ledger record of each submit, written before {@code submit} returns. (The in-memory
 * provider keeps its runs in the JVM, which a crash test kills.)
 */
final class LedgerProvider implements ComputeProvider {
    static final ProviderId ID = ProviderId.of("ledger");

    private final Duration runFor;
    private final Ledger ledger;
    private final String engine;
    private final Clock clock;

    LedgerProvider(Duration runFor, Ledger ledger, String engine, Clock clock) {
        this.runFor = runFor;
        this.ledger = ledger;
        this.engine = engine;
        this.clock = clock;
    }

    @Override
    public ProviderId id() {
        return ID;
    }

    @Override
    public String type() {
        return "ledger";
    }

    @Override
    public ProviderCapabilities capabilities() {
        return ProviderCapabilities.of(64_000, "512Gi", "100Ti");
    }

    @Override
    public ProviderHealth checkHealth() {
        return ProviderHealth.online();
    }

    @Override
    public ProviderJobRef submit(JobSpec spec, AttemptRef attempt) {
        ledger.submitted(engine, attempt);
        return ProviderJobRef.of(attempt.jobId().value() + "/" + attempt.number() + "/" + clock.millis());
    }

    @Override
    public RemoteStatus status(ProviderJobRef ref) {
        String[] p = ref.value().split("/");
        if (p.length != 3) {
            throw new ProviderException(ReasonCode.PROVIDER_LOST_JOB, "not a handle of this provider: " + ref);
        }
        return clock.millis() >= Long.parseLong(p[2]) + runFor.toMillis() ? RemoteStatus.succeeded() : RemoteStatus.running();
    }

    @Override
    public void cancel(ProviderJobRef ref) {
        // attempts finish on their own
    }
}
