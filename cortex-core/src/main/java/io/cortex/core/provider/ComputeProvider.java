package io.cortex.core.provider;

import io.cortex.core.job.JobSpec;

/**
 * A place where jobs run: a decentralized network, a cloud, a cluster, the local machine.
 *
 * <p>Methods are plain blocking calls. The engine calls them on its own threads, never from inside
 * a lock, and treats a call that takes too long as a {@link io.cortex.core.job.ReasonCode#PROVIDER_TIMEOUT}.
 * Failures are reported by throwing {@link ProviderException} with a reason code. Optional abilities
 * are separate interfaces a provider implements only when it has them: {@link LogSource},
 * {@link Wallet}, {@link CredentialManager}, {@link EndpointManager}.
 *
 * <p>A provider may push status changes through {@link ProviderContext#updates()}; the engine also
 * polls {@link #status}, so a silent provider cannot strand a job.
 */
public interface ComputeProvider extends AutoCloseable {
    /** This provider's identifier, as given in its {@link ProviderContext}. */
    ProviderId id();

    /** The provider's type, e.g. {@code inmemory}. */
    String type();

    /**
     * What one job may ask for, and the price.
     *
     * @throws ProviderException when the provider cannot be asked
     */
    ProviderCapabilities capabilities();

    /**
     * A health check. Throwing counts as OFFLINE with the exception's reason.
     *
     * @throws ProviderException when the check cannot be made
     */
    ProviderHealth checkHealth();

    /**
     * Starts one attempt of a job and returns the provider's handle for it.
     *
     * @throws ProviderException with a reason: NO_CAPACITY, INSUFFICIENT_FUNDS, AUTH_FAILED,
     *     IMAGE_NOT_FOUND, IMAGE_REJECTED, RESOURCES_EXCEED_CAPABILITIES, PROVIDER_REJECTED, PROVIDER_OFFLINE…
     */
    ProviderJobRef submit(JobSpec spec, AttemptRef attempt);

    /**
     * Where an attempt stands.
     *
     * @throws ProviderException with {@code PROVIDER_LOST_JOB} for a handle it does not know
     */
    RemoteStatus status(ProviderJobRef ref);

    /**
     * Cancels an attempt; cancelling one that is finished or already cancelled does nothing.
     *
     * @throws ProviderException when the provider cannot be reached
     */
    void cancel(ProviderJobRef ref);

    /** Releases threads, connections and files. Idempotent. */
    @Override
    default void close() {}
}
