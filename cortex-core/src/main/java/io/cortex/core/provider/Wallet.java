package io.cortex.core.provider;

import java.math.BigDecimal;

/** Optional ability: a provider paid from a wallet. */
public interface Wallet {
    /**
     * The wallet's balance.
     *
     * @throws ProviderException when it cannot be read
     */
    WalletBalance balance();

    /**
     * Adds {@code amount} to the wallet and returns the new balance.
     *
     * @throws IllegalArgumentException when {@code amount} is not positive
     * @throws ProviderException when the top-up fails
     */
    WalletBalance topUp(BigDecimal amount);
}
