package io.cortex.provider.inmemory;

import io.cortex.core.job.Quantity;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates {@link InMemoryProvider}s of type {@code inmemory} from configuration. Settings (all
 * optional): {@code maxCpu} (millicores), {@code maxMemory}, {@code maxStorage} (quantities),
 * {@code maxGpus}, {@code pricePerHour}, {@code currency}, {@code wallet} (balance), {@code capacity},
 * {@code startDelay} and {@code runDuration} (ISO-8601 like {@code PT5S}, or milliseconds),
 * {@code registries} (comma-separated). An unknown key is an error that lists the known ones.
 */
public final class InMemoryProviderFactory implements ProviderFactory {
    private static final Set<String> KEYS = new TreeSet<>(Arrays.asList("maxCpu", "maxMemory", "maxStorage", "maxGpus",
            "pricePerHour", "currency", "wallet", "capacity", "startDelay", "runDuration", "registries"));

    /** Needed by {@link java.util.ServiceLoader}. */
    public InMemoryProviderFactory() {}

    @Override
    public String type() {
        return InMemoryProvider.TYPE;
    }

    @Override
    public ComputeProvider create(ProviderContext context) {
        return configure(context).build();
    }

    static InMemoryProvider.Builder configure(ProviderContext ctx) {
        for (String key : ctx.config().keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("provider " + ctx.id() + ": unknown setting '" + key + "' for type inmemory; known: " + KEYS);
            }
        }
        ProviderCapabilities defaults = ProviderCapabilities.of(16_000, "64Gi", "1Ti").withMaxGpus(8);
        Quantity memory = ctx.quantitySetting("maxMemory", defaults.maxMemory());
        Quantity storage = ctx.quantitySetting("maxStorage", defaults.maxStorage());
        BigDecimal price = ctx.decimalSetting("pricePerHour", BigDecimal.ZERO);
        Set<String> registries = ctx.setting("registries").map(v -> Set.of(v.split("\\s*,\\s*"))).orElse(Set.of());
        ProviderCapabilities caps;
        try {
            caps = new ProviderCapabilities(ctx.intSetting("maxCpu", defaults.maxCpuMillis()), memory, storage,
                    ctx.intSetting("maxGpus", defaults.maxGpus()), Set.of(), registries, price,
                    ctx.setting("currency").orElse("USD"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider " + ctx.id() + ": " + e.getMessage(), e);
        }
        InMemoryProvider.Builder b = InMemoryProvider.builder(ctx.id().value()).clock(ctx.clock()).capabilities(caps)
                .credentials(ctx.credentials()).updates(ctx.updates())
                .startAfter(ctx.durationSetting("startDelay", Duration.ZERO)).runFor(ctx.durationSetting("runDuration", Duration.ZERO));
        if (ctx.setting("wallet").isPresent()) {
            b.wallet(ctx.decimalSetting("wallet", BigDecimal.ZERO).toPlainString());
        }
        int capacity = ctx.intSetting("capacity", Integer.MAX_VALUE);
        if (capacity < 0) {
            throw new IllegalArgumentException("provider " + ctx.id() + ": setting 'capacity' must not be negative, got " + capacity);
        }
        return b.capacity(capacity);
    }
}
