package io.cortex.core.discovery;

import io.cortex.core.job.JobSpec;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.RemoteStatus;

/** The smallest provider: accepts everything, every job runs forever. */
final class FakeProvider implements ComputeProvider {
    private final ProviderId id;
    private final String type;

    FakeProvider(ProviderId id, String type) {
        this.id = id;
        this.type = type;
    }

    @Override
    public ProviderId id() {
        return id;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public ProviderCapabilities capabilities() {
        return ProviderCapabilities.of(1000, "1Gi", "1Gi");
    }

    @Override
    public ProviderHealth checkHealth() {
        return ProviderHealth.online();
    }

    @Override
    public ProviderJobRef submit(JobSpec spec, AttemptRef attempt) {
        return ProviderJobRef.of(attempt.toString());
    }

    @Override
    public RemoteStatus status(ProviderJobRef ref) {
        return RemoteStatus.running();
    }

    @Override
    public void cancel(ProviderJobRef ref) {}
}
