package io.cortex.provider.inmemory;

import java.util.Map;

/**
 * The in-memory provider configured without a wallet keeps the provider contract too: it is no
 * {@link io.cortex.core.provider.Wallet}, so the kit skips its wallet checks instead of meeting a
 * wallet that cannot answer.
 */
class InMemoryProviderWithoutWalletContractTest extends InMemoryProviderContractTest {

    @Override
    protected Map<String, String> configuration() {
        return Map.of("maxCpu", "8000", "maxMemory", "16Gi", "currency", "USDC");
    }
}
