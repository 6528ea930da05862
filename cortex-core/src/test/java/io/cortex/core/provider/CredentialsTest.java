package io.cortex.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static final Instant EXPIRY = Instant.parse("2026-06-30T12:00:00Z");

    /** Distinctive secret values that share no text with their names. */
    private static Map<String, String> someSecrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("apiKey", "sk-live-51HxQ2eZvKYlo2C");
        secrets.put("secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY");
        secrets.put("walletMnemonic", "abandon ability able about above absent absorb");
        secrets.put("token", "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1");
        return secrets;
    }

    @Test
    void toStringShowsTheNamesAndTheExpiryButNoSecret() {
        Credentials credentials = Credentials.of(someSecrets(), EXPIRY);

        String text = credentials.toString();

        assertThat(text).contains("apiKey", "secret", "walletMnemonic", "token", EXPIRY.toString());
        someSecrets().values().forEach(secret -> assertThat(text).doesNotContain(secret));
        // no fragment of a secret leaks either (e.g. a prefix shown for "recognition")
        someSecrets().values().forEach(secret -> assertThat(text).doesNotContain(secret.substring(0, 6)));
    }

    @Test
    void toStringWithoutExpiryStillHidesTheSecrets() {
        Credentials credentials = Credentials.of(Map.of("password", "correct-horse-battery"));

        assertThat(credentials.toString()).contains("password").doesNotContain("correct-horse-battery").doesNotContain("expiresAt");
        assertThat(Credentials.NONE.toString()).isEqualTo("Credentials{}");
    }

    @Test
    void valuesAreReadableByName() {
        Credentials credentials = Credentials.of(someSecrets());

        assertThat(credentials.get("apiKey")).contains("sk-live-51HxQ2eZvKYlo2C");
        assertThat(credentials.get("missing")).isEmpty();
        assertThat(credentials.values()).isEqualTo(someSecrets());
        assertThat(credentials.isEmpty()).isFalse();
        assertThat(Credentials.NONE.isEmpty()).isTrue();
    }

    @Test
    void valuesAreCopiedAndUnmodifiable() {
        Map<String, String> source = new HashMap<>(Map.of("apiKey", "first"));
        Credentials credentials = Credentials.of(source);

        source.put("apiKey", "changed");
        source.put("other", "x");

        assertThat(credentials.values()).containsExactly(Map.entry("apiKey", "first"));
        assertThatThrownBy(() -> credentials.values().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void expiryIsOptionalAndReachedAtTheExpiryInstant() {
        Credentials expiring = Credentials.of(Map.of("token", "t0k3n-value"), EXPIRY);

        assertThat(expiring.expiresAt()).contains(EXPIRY);
        assertThat(expiring.isExpiredAt(EXPIRY.minusMillis(1))).isFalse();
        assertThat(expiring.isExpiredAt(EXPIRY)).isTrue();
        assertThat(expiring.isExpiredAt(EXPIRY.plusSeconds(1))).isTrue();
        Credentials forever = Credentials.of(Map.of("token", "t0k3n-value"));
        assertThat(forever.expiresAt()).isEmpty();
        assertThat(forever.isExpiredAt(Instant.MAX)).isFalse();
    }

    @Test
    void ofRefusesANullMap() {
        assertThatNullPointerException().isThrownBy(() -> Credentials.of(null)).withMessage("credentials cannot be null");
    }

    @Test
    void ofRefusesANullOrBlankNameWithoutShowingTheSecret() {
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "s3cr3t-null-name");
        Map<String, String> blankName = Map.of("  ", "s3cr3t-blank-name");

        assertThatNullPointerException().isThrownBy(() -> Credentials.of(nullName))
                .withMessage("credential name cannot be null");
        assertThatIllegalArgumentException().isThrownBy(() -> Credentials.of(blankName))
                .withMessage("credential name cannot be blank");
    }

    @Test
    void ofRefusesANullValueNamingItsName() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("apiKey", null);

        assertThatNullPointerException().isThrownBy(() -> Credentials.of(nullValue, EXPIRY))
                .withMessage("credential 'apiKey' cannot be null");
    }

    @Test
    void equalCredentialsHoldTheSameSecretsAndExpiry() {
        Credentials a = Credentials.of(someSecrets(), EXPIRY);

        assertThat(a).isEqualTo(Credentials.of(someSecrets(), EXPIRY)).hasSameHashCodeAs(Credentials.of(someSecrets(), EXPIRY));
        assertThat(a).isNotEqualTo(Credentials.of(someSecrets())).isNotEqualTo(Credentials.of(Map.of("apiKey", "other"), EXPIRY));
        assertThat(Credentials.of(Map.of())).isEqualTo(Credentials.NONE);
    }
}
