package io.cortex.core.job;

import io.cortex.core.util.Preconditions;
import io.cortex.core.provider.ProviderId;
import java.util.List;
import java.util.Set;

/**
 * Which providers a job may run on: an allow list (empty means any), a deny list, and a preferred
 * order that placement honours before its ranking strategy.
 *
 * @param allow providers the job may use; empty means every provider
 * @param deny providers the job must never use
 * @param preferred providers to try first, in this order
 */
public record ProviderConstraints(Set<ProviderId> allow, Set<ProviderId> deny, List<ProviderId> preferred) {
    /** No constraint. */
    public static final ProviderConstraints NONE = new ProviderConstraints(Set.of(), Set.of(), List.of());

    /**
     * Copies and validates the lists.
     *
     * @throws NullPointerException when a list is null
     * @throws IllegalArgumentException when a provider is both allowed and denied
     */
    public ProviderConstraints {
        allow = Set.copyOf(Preconditions.notNull(allow, "allow"));
        deny = Set.copyOf(Preconditions.notNull(deny, "deny"));
        preferred = List.copyOf(Preconditions.notNull(preferred, "preferred"));
        for (ProviderId id : allow) {
            Preconditions.argument(!deny.contains(id), "provider %s cannot be both allowed and denied", id);
        }
    }

    /** True when these constraints let the job run on {@code provider}. */
    public boolean permits(ProviderId provider) {
        return !deny.contains(provider) && (allow.isEmpty() || allow.contains(provider));
    }
}
