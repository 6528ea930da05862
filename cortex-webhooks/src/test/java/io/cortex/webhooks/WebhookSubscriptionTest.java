package io.cortex.webhooks;

import static io.cortex.webhooks.Subscriptions.SECRET;
import static io.cortex.webhooks.Subscriptions.aSubscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSubscriptionTest {

  @Test
  void builderAppliesTheDefaults() {
    WebhookSubscription s = aSubscription().build();

    assertThat(s.id()).matches("sub_[A-Za-z0-9]{22}");
    assertThat(s.url()).isEqualTo(URI.create("https://hooks.example.com/cortex"));
    assertThat(s.eventTypes()).containsExactly("job.status.changed");
    assertThat(s.secrets()).containsExactly(SECRET);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.enabled()).isTrue();
    assertThat(s.description()).isEmpty();
    assertThat(s.metadata()).isEmpty();
    assertThat(s.allowPlainHttp()).isFalse();
    assertThat(s.allowPrivateAddresses()).isFalse();
    assertThat(s.urlPolicy()).isEqualTo(UrlPolicy.strict());
  }

  @Test
  void builderKeepsEveryValueSet() {
    WebhookSubscription s = WebhookSubscription.builder()
        .id("sub_ops")
        .url(URI.create("http://10.0.0.5:8080/hook"))
        .eventTypes(List.of(WebhookEventTypes.PROVIDER_WALLET_LOW, "job.*"))
        .secrets(List.of(SECRET, WebhookSecret.generate()))
        .timeout(Duration.ofSeconds(30))
        .enabled(false)
        .description("ops pager")
        .metadata(Map.of("team", "ops"))
        .allowPlainHttp(true)
        .allowPrivateAddresses(true)
        .build();

    assertThat(s.id()).isEqualTo("sub_ops");
    assertThat(s.eventTypes()).containsExactly("job.*", "provider.wallet.low");
    assertThat(s.secrets()).hasSize(2).startsWith(SECRET);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.enabled()).isFalse();
    assertThat(s.description()).isEqualTo("ops pager");
    assertThat(s.metadata()).containsExactly(Map.entry("team", "ops"));
    assertThat(s.urlPolicy()).isEqualTo(UrlPolicy.of(true, true));
  }

  @Test
  void matchesExactTypesPrefixWildcardsAndStar() {
    WebhookSubscription exact = aSubscription().build();
    WebhookSubscription prefix = aSubscription().eventTypes("provider.*").build();
    WebhookSubscription all = aSubscription().eventTypes("*").build();

    assertThat(exact.matches("job.status.changed")).isTrue();
    assertThat(exact.matches("job.status")).isFalse();
    assertThat(exact.matches("provider.status.changed")).isFalse();
    assertThat(prefix.matches("provider.status.changed")).isTrue();
    assertThat(prefix.matches("provider.wallet.low")).isTrue();
    assertThat(prefix.matches("provider")).isFalse();
    assertThat(prefix.matches("providers.x")).isFalse();
    assertThat(all.matches("anything.at.all")).isTrue();
  }

  @Test
  void matchingIgnoresTheEnabledFlag() {
    assertThat(aSubscription().enabled(false).build().matches("job.status.changed")).isTrue();
  }

  @Test
  void requiredFieldsAreNamedWhenMissing() {
    assertThatThrownBy(() -> WebhookSubscription.builder().eventTypes("*").secrets(SECRET).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("url is required but was not set");
    assertThatThrownBy(() -> WebhookSubscription.builder().url("https://example.com")
            .secrets(SECRET).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("eventTypes is required but was not set");
    assertThatThrownBy(() -> WebhookSubscription.builder().url("https://example.com")
            .eventTypes("*").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("secrets is required but was not set");
  }

  @Test
  void settingAnOptionTwiceSaysWhatItWasSetTo() {
    assertThatThrownBy(() -> WebhookSubscription.builder().url("https://hooks.example.com/cortex")
            .url("https://other.example.com"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("url already set to https://hooks.example.com/cortex");
    assertThatThrownBy(() -> aSubscription().timeout(Duration.ofSeconds(5))
            .timeout(Duration.ofSeconds(6)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("timeout already set to PT5S");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "sub.dot", "x0123456789012345678901234567890123456789012345678901234567890123", "s\u00e9"})
  void idMustBeShortAndSafe(String id) {
    assertThatThrownBy(() -> aSubscription().id(id).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("id must be 1 to 64 characters of [A-Za-z0-9_-], was ");
  }

  @Test
  void urlMustBeAValidUriWithinTheLengthLimit() {
    assertThatThrownBy(() -> aSubscription().url("https://exa mple.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("url \"https://exa mple.com\" is not a valid URI: ");
    String longUrl = "https://example.com/" + "a".repeat(2100);
    assertThatThrownBy(() -> aSubscription().url(longUrl).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("url must be at most 2048 characters, was 2120");
  }

  @Test
  void urlIsCheckedAgainstThePolicyTheOptionsImply() {
    assertThatThrownBy(() -> aSubscription().url("http://example.com/").build())
        .isInstanceOf(UrlPolicyViolationException.class)
        .hasMessageContaining("must use https");
    assertThatThrownBy(() -> aSubscription().url("https://192.168.0.2/").build())
        .isInstanceOf(UrlPolicyViolationException.class)
        .extracting(e -> ((UrlPolicyViolationException) e).rule())
        .isEqualTo(UrlPolicy.Rule.PRIVATE);
    assertThat(aSubscription().url("http://192.168.0.2/")
        .allowPlainHttp(true).allowPrivateAddresses(true).build().url().getHost())
        .isEqualTo("192.168.0.2");
    assertThatThrownBy(() -> aSubscription()
            .url("https://169.254.169.254/").allowPrivateAddresses(true).build())
        .isInstanceOf(UrlPolicyViolationException.class)
        .hasMessageContaining("refused always");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "job status", "job..status", ".job", "job.", "job.*.changed", "*.job",
      "job-status", "**"})
  void eventTypeFiltersFollowTheNamingRule(String type) {
    assertThatThrownBy(() -> aSubscription().eventTypes(type).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("eventTypes contains ")
        .hasMessageContaining("dot-separated segments of [A-Za-z0-9_]");
  }

  @Test
  void eventTypesMustBeNonEmptyAndStarMustStandAlone() {
    assertThatThrownBy(() -> aSubscription().eventTypes(List.of()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventTypes must not be empty; use \"*\" for every type");
    assertThatThrownBy(() -> aSubscription()
            .eventTypes("*", "job.status.changed").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventTypes contains \"*\" together with other filters; \"*\" alone matches "
            + "every type");
  }

  @Test
  void secretsMustBeOneToTenDistinct() {
    assertThatThrownBy(() -> aSubscription().secrets(List.of()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secrets must hold 1 to 10 secrets, but holds 0");
    assertThatThrownBy(() -> aSubscription().secrets(SECRET, SECRET).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secrets must be distinct, but the same secret is listed twice");
    WebhookSecret[] eleven = new WebhookSecret[11];
    for (int i = 0; i < eleven.length; i++) {
      eleven[i] = WebhookSecret.generate();
    }
    assertThatThrownBy(() -> aSubscription().secrets(eleven).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secrets must hold 1 to 10 secrets, but holds 11");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "PT-1S", "PT5M0.001S", "PT1H"})
  void timeoutMustBePositiveAndAtMostFiveMinutes(String timeout) {
    assertThatThrownBy(() -> aSubscription().timeout(Duration.parse(timeout)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("timeout must be more than zero and at most PT5M, was ");
  }

  @Test
  void descriptionAndMetadataAreBounded() {
    assertThatThrownBy(() -> aSubscription().description("d".repeat(1025)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("description must be at most 1024 characters, was 1025");
    assertThatThrownBy(() -> aSubscription().metadata(Map.of("", "v")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata key \"\" must be 1 to 128 characters");
    assertThatThrownBy(() -> aSubscription().metadata(Map.of("k", "v".repeat(1025))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata value of \"k\" must be at most 1024 characters, was 1025");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 51; i++) {
      many.put("k" + i, "v");
    }
    assertThatThrownBy(() -> aSubscription().metadata(many).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata must hold at most 50 entries, but holds 51");
    Map<String, String> withNull = new HashMap<>();
    withNull.put("k", null);
    assertThatThrownBy(() -> aSubscription().metadata(withNull))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("metadata value of k cannot be null");
  }

  @Test
  void toBuilderOverridesInheritedValuesAndKeepsTheRest() {
    WebhookSubscription original = aSubscription().description("first").build();
    WebhookSecret next = WebhookSecret.generate();

    WebhookSubscription rotated = original.toBuilder().secrets(next, SECRET).enabled(false).build();

    assertThat(rotated.id()).isEqualTo(original.id());
    assertThat(rotated.description()).isEqualTo("first");
    assertThat(rotated.secrets()).containsExactly(next, SECRET);
    assertThat(rotated.enabled()).isFalse();
    assertThat(original.enabled()).isTrue();
    assertThat(original.toBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
  }

  @Test
  void collectionsAreCopiedAndUnmodifiable() {
    Map<String, String> metadata = new HashMap<>(Map.of("a", "1"));
    List<String> types = new ArrayList<>(List.of("job.status.changed"));
    WebhookSubscription s = aSubscription().eventTypes(types)
        .metadata(metadata).build();
    metadata.put("b", "2");
    types.add("provider.wallet.low");

    assertThat(s.metadata()).containsOnlyKeys("a");
    assertThat(s.eventTypes()).containsExactly("job.status.changed");
    assertThatThrownBy(() -> s.eventTypes().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.metadata().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toStringRedactsSecrets() {
    assertThat(aSubscription().build().toString())
        .contains("secrets=[WebhookSecret[whsec_***, 24 bytes, sha256:")
        .doesNotContain(SpecVectors.SECRET.substring(6));
  }
}
