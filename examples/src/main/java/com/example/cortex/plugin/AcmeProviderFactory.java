package com.example.cortex.plugin;

import io.cortex.core.job.Quantity;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates {@link AcmeProvider}s of type {@code acme}. Registered for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/io.cortex.core.provider.ProviderFactory}.
 *
 * <p>Settings (all optional): {@code maxCpu} (millicores, default 8000), {@code maxMemory} (default
 * {@code 32Gi}), {@code maxStorage} (default {@code 100Gi}), {@code pricePerHour} (default 0.50),
 * {@code currency} (default USDC), {@code startDelay} and {@code runTime} of the simulated machines
 * (ISO-8601 or milliseconds, defaults 0 and 100 ms), {@code initialBalance} of the simulated wallet
 * (default 10). Credentials: {@code apiKey}, required.
 */
public final class AcmeProviderFactory implements ProviderFactory {
    private static final Set<String> KEYS = new TreeSet<>(Set.of("maxCpu", "maxMemory", "maxStorage", "pricePerHour",
            "currency", "startDelay", "runTime", "initialBalance"));

    /** The public no-argument constructor {@link java.util.ServiceLoader} needs. Does nothing. */
    public AcmeProviderFactory() {}

    @Override
    public String type() {
        return AcmeProvider.TYPE;
    }

    /**
     * Creates a provider: checks every setting, then logs in to Acme Cloud.
     *
     * @throws IllegalArgumentException naming the provider and the key when a setting is invalid or the
     *     {@code apiKey} credential is missing
     */
    @Override
    public ComputeProvider create(ProviderContext context) {
        for (String key : context.config().keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("provider " + context.id() + ": unknown setting '" + key + "' for type acme; known: " + KEYS);
            }
        }
        if (context.credentials().get("apiKey").isEmpty()) {
            throw new IllegalArgumentException("provider " + context.id()
                    + ": credential 'apiKey' is required (in a configuration file: credentials.apiKey=env:ACME_API_KEY)");
        }
        BigDecimal price = context.decimalSetting("pricePerHour", new BigDecimal("0.50"));
        String currency = context.setting("currency").orElse("USDC");
        ProviderCapabilities capabilities;
        try {
            capabilities = new ProviderCapabilities(context.intSetting("maxCpu", 8000),
                    context.quantitySetting("maxMemory", Quantity.gibibytes(32)),
                    context.quantitySetting("maxStorage", Quantity.gibibytes(100)), 0, Set.of("amd64"), Set.of(),
                    price, currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider " + context.id() + ": " + e.getMessage(), e);
        }
        Duration runTime = context.durationSetting("runTime", Duration.ofMillis(100));
        // Acme bills whole runs; the price per hour is what Cortex's placement compares
        BigDecimal perRun = price.multiply(BigDecimal.valueOf(runTime.toMillis())).divide(BigDecimal.valueOf(3_600_000L),
                2, java.math.RoundingMode.CEILING);
        AcmeCloud cloud = new AcmeCloud(context.clock(), context.durationSetting("startDelay", Duration.ZERO), runTime, perRun,
                context.decimalSetting("initialBalance", BigDecimal.TEN));
        try {
            return new AcmeProvider(context.id(), capabilities, cloud, context.credentials());
        } catch (RuntimeException e) {
            cloud.close();
            throw e;
        }
    }
}
