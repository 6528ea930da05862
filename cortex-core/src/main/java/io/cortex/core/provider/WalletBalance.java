package io.cortex.core.provider;

import io.cortex.core.util.Preconditions;
import java.math.BigDecimal;

/**
 * What a provider's wallet holds.
 *
 * @param amount the balance, never negative
 * @param currency e.g. {@code USDC}
 */
public record WalletBalance(BigDecimal amount, String currency) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a field is null
     * @throws IllegalArgumentException when the amount is negative
     */
    public WalletBalance {
        Preconditions.notNull(amount, "amount");
        Preconditions.argument(amount.signum() >= 0, "amount must not be negative, got %s", amount.toPlainString());
        Preconditions.notBlank(currency, "currency");
    }

    /**
     * A balance from text, e.g. {@code of("12.50", "USDC")}.
     *
     * @throws IllegalArgumentException when {@code amount} is not a non-negative decimal number
     */
    public static WalletBalance of(String amount, String currency) {
        Preconditions.notNull(amount, "amount");
        try {
            return new WalletBalance(new BigDecimal(amount.trim()), currency);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("amount '" + amount + "' is not a decimal number");
        }
    }

    /** True when the balance covers {@code cost}. */
    public boolean covers(BigDecimal cost) {
        return amount.compareTo(cost) >= 0;
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}
