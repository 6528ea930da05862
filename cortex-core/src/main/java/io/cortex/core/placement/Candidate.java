package io.cortex.core.placement;

import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderStatus;
import java.math.BigDecimal;

/**
 * A provider that passed every placement filter for a job, with what a ranking needs to know.
 *
 * @param provider the provider
 * @param status its status (ONLINE, or DEGRADED when no ONLINE provider fits)
 * @param capabilities its capabilities
 * @param estimatedCost what the job would cost there
 * @param jobsInFlight how many jobs the engine has on it now
 */
public record Candidate(ProviderId provider, ProviderStatus status, ProviderCapabilities capabilities,
        BigDecimal estimatedCost, int jobsInFlight) {}
