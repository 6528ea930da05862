package io.cortex.provider.inmemory;

import static io.cortex.provider.inmemory.EngineFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderInfo;
import io.cortex.core.provider.Wallet;
import io.cortex.core.provider.WalletBalance;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine finds a provider's optional abilities with {@code instanceof}: an in-memory provider
 * is a {@link Wallet} exactly when it was built with one, so the engine lists the {@code wallet}
 * ability (and the console and the REST API offer it) only for a provider that can answer it.
 */
class WalletAbilityTest {
    private final EngineFixture fx = new EngineFixture()
            .provider("a", p -> p.price("0.10", "USDC").wallet("50"))
            .provider("b", p -> p.price("0.20", "USDC")); // no wallet

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void aProviderBuiltWithoutAWalletIsNoWalletAndTheEngineListsNoWalletAbility() {
        assertThat(fx.b()).isNotInstanceOf(Wallet.class);

        ProviderInfo info = fx.cortex().provider(id("b"));

        assertThat(info.abilities()).containsExactlyInAnyOrder("logs", "credentials", "endpoints");
        assertThatThrownBy(() -> fx.cortex().wallet(id("b"))).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("provider b").hasMessageContaining("has no wallet");
        assertThatThrownBy(() -> fx.cortex().topUp(id("b"), BigDecimal.TEN)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aProviderBuiltWithAWalletIsAWalletAndTheEngineReadsIt() {
        assertThat(fx.a()).isInstanceOf(Wallet.class);

        Map<String, ProviderInfo> byId = new HashMap<>();
        fx.cortex().providers().forEach(p -> byId.put(p.id().value(), p));

        assertThat(byId.get("a").abilities()).contains("wallet");
        assertThat(byId.get("b").abilities()).doesNotContain("wallet");
        assertThat(fx.cortex().wallet(id("a"))).isEqualTo(WalletBalance.of("50.00", "USDC"));
        assertThat(fx.cortex().topUp(id("a"), new BigDecimal("2.5"))).isEqualTo(WalletBalance.of("52.50", "USDC"));
    }

    @Test
    void theWalletMethodsOfAProviderWithoutAWalletSaySoWhenCalledDirectly() {
        InMemoryProvider noWallet = fx.b();

        assertThatThrownBy(noWallet::balance).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("in-memory provider b has no wallet; build it with wallet(amount)");
        assertThatThrownBy(() -> noWallet.topUp(BigDecimal.ONE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> noWallet.walletBalance("5")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theFactoryGivesAWalletOnlyWhenConfiguredWithOne() {
        try (Cortex cortex = Cortex.builder().clock(new ManualClock()).manual()
                .provider("with", InMemoryProvider.TYPE, Map.of("wallet", "10.00", "currency", "USDC"), Credentials.NONE)
                .provider("without", InMemoryProvider.TYPE, Map.of("currency", "USDC"), Credentials.NONE).build()) {
            assertThat(cortex.provider(id("with")).abilities()).contains("wallet");
            assertThat(cortex.provider(id("without")).abilities()).doesNotContain("wallet");
            assertThat(cortex.wallet(id("with"))).isEqualTo(WalletBalance.of("10.00", "USDC"));
        }
    }
}
