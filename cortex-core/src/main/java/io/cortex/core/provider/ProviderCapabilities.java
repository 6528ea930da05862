package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import io.cortex.core.job.Quantity;
import java.math.BigDecimal;
import java.util.Set;

/**
 * What a provider can run at most for one job, and what it charges.
 *
 * @param maxCpuMillis the largest cpu request one job may make, in millicores
 * @param maxMemory the largest memory request
 * @param maxStorage the largest storage request
 * @param maxGpus the most GPUs one job may ask for
 * @param architectures CPU architectures it runs, e.g. {@code amd64}; empty means any
 * @param registries image registries it pulls from, e.g. {@code docker.io}; empty means any
 * @param pricePerHour what one hour of one job costs, zero when free
 * @param currency the currency of the price and of the wallet, e.g. {@code USDC}
 */
public record ProviderCapabilities(int maxCpuMillis, Quantity maxMemory, Quantity maxStorage, int maxGpus,
        Set<String> architectures, Set<String> registries, BigDecimal pricePerHour, String currency) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a field is null
     * @throws IllegalArgumentException when a number is negative
     */
    public ProviderCapabilities {
        Preconditions.argument(maxCpuMillis > 0, "maxCpuMillis must be positive, got %d", maxCpuMillis);
        Preconditions.notNull(maxMemory, "maxMemory");
        Preconditions.notNull(maxStorage, "maxStorage");
        Preconditions.argument(maxGpus >= 0, "maxGpus must not be negative, got %d", maxGpus);
        architectures = Set.copyOf(Preconditions.notNull(architectures, "architectures"));
        registries = Set.copyOf(Preconditions.notNull(registries, "registries"));
        Preconditions.notNull(pricePerHour, "pricePerHour");
        Preconditions.argument(pricePerHour.signum() >= 0, "pricePerHour must not be negative, got %s", pricePerHour);
        Preconditions.notBlank(currency, "currency");
    }

    /** Capabilities with no registry or architecture restriction and a zero price. */
    public static ProviderCapabilities of(int maxCpuMillis, String maxMemory, String maxStorage) {
        return new ProviderCapabilities(maxCpuMillis, Quantity.parse("maxMemory", maxMemory),
                Quantity.parse("maxStorage", maxStorage), 0, Set.of(), Set.of(), BigDecimal.ZERO, "USD");
    }

    /** A copy with another price. */
    public ProviderCapabilities withPrice(BigDecimal price, String priceCurrency) {
        return new ProviderCapabilities(maxCpuMillis, maxMemory, maxStorage, maxGpus, architectures, registries, price, priceCurrency);
    }

    /** A copy with another GPU limit. */
    public ProviderCapabilities withMaxGpus(int gpus) {
        return new ProviderCapabilities(maxCpuMillis, maxMemory, maxStorage, gpus, architectures, registries, pricePerHour, currency);
    }

    /** A copy accepting only these registries. */
    public ProviderCapabilities withRegistries(Set<String> allowed) {
        return new ProviderCapabilities(maxCpuMillis, maxMemory, maxStorage, maxGpus, architectures, allowed, pricePerHour, currency);
    }
}
