package io.cortex.server;

import io.cortex.core.job.JobSpec;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.RemoteStatus;

/** A provider with no optional ability (no wallet, credentials, endpoints or logs), switched off. */
final class BareProvider implements ComputeProvider {
    private final ProviderId id;

    BareProvider(String id) {
        this.id = ProviderId.of(id);
    }

    @Override
    public ProviderId id() {
        return id;
    }

    @Override
    public String type() {
        return "bare";
    }

    @Override
    public ProviderCapabilities capabilities() {
        return ProviderCapabilities.of(4000, "8Gi", "100Gi");
    }

    @Override
    public ProviderHealth checkHealth() {
        return ProviderHealth.offline("switched off for the test");
    }

    @Override
    public ProviderJobRef submit(JobSpec spec, AttemptRef attempt) {
        throw new ProviderException(ReasonCode.PROVIDER_OFFLINE, "switched off");
    }

    @Override
    public RemoteStatus status(ProviderJobRef ref) {
        throw new ProviderException(ReasonCode.PROVIDER_OFFLINE, "switched off");
    }

    @Override
    public void cancel(ProviderJobRef ref) {
        // nothing runs here
    }
}
