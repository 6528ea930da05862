package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkArgument;
import static io.cortex.webhooks.internal.Preconditions.checkNotNull;
import static io.cortex.webhooks.internal.Preconditions.checkState;

import io.cortex.webhooks.internal.Excerpt;
import io.cortex.webhooks.internal.Option;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An endpoint that receives webhooks for some event types: an immutable value, built and validated
 * by {@link #builder()} and changed through {@link #toBuilder()}.
 *
 * <p>Event type filters are exact types such as {@code job.status.changed}, a prefix wildcard such
 * as {@code job.*} (any type starting with {@code job.}) or {@code *} for every type. The
 * {@linkplain #secrets() secrets} sign every delivery; list the new secret and the old one while
 * rotating and the signature header carries one signature per secret.
 */
public final class WebhookSubscription {

  /** Default per-attempt delivery timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Longest accepted delivery timeout. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  /** Most secrets a subscription may hold at once. */
  public static final int MAX_SECRETS = 10;

  /** Longest accepted URL, in characters. */
  public static final int MAX_URL_LENGTH = 2048;

  /** Longest accepted description, in characters. */
  public static final int MAX_DESCRIPTION_LENGTH = 1024;

  /** Most metadata entries. */
  public static final int MAX_METADATA_ENTRIES = 50;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern EVENT_TYPE =
      Pattern.compile("[A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*(?:\\.\\*)?");
  private static final int MAX_EVENT_TYPE_LENGTH = 128;
  private static final int MAX_METADATA_KEY_LENGTH = 128;
  private static final int MAX_METADATA_VALUE_LENGTH = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ID_ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

  private final String id;
  private final URI url;
  private final Set<String> eventTypes;
  private final List<String> prefixes;
  private final boolean matchesAll;
  private final List<WebhookSecret> secrets;
  private final Duration timeout;
  private final boolean enabled;
  private final String description;
  private final Map<String, String> metadata;
  private final boolean allowPlainHttp;
  private final boolean allowPrivateAddresses;

  private WebhookSubscription(Builder b, Set<String> eventTypes, List<WebhookSecret> secrets,
      Map<String, String> metadata) {
    this.id = b.id.get();
    this.url = b.url.get();
    this.eventTypes = eventTypes;
    this.secrets = secrets;
    this.timeout = b.timeout.get();
    this.enabled = b.enabled.get();
    this.description = b.description.get();
    this.metadata = metadata;
    this.allowPlainHttp = b.allowPlainHttp.get();
    this.allowPrivateAddresses = b.allowPrivateAddresses.get();
    this.matchesAll = eventTypes.contains(WebhookEventTypes.ALL);
    List<String> p = new ArrayList<>();
    for (String type : eventTypes) {
      if (type.endsWith(".*")) {
        p.add(type.substring(0, type.length() - 1));
      }
    }
    this.prefixes = List.copyOf(p);
  }

  /**
   * Returns a builder with the defaults: a generated id, timeout {@link #DEFAULT_TIMEOUT},
   * enabled, empty description and metadata, https and public addresses only. {@code url},
   * {@code eventTypes} and {@code secrets} must be set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this subscription's values; each may be overridden once.
   *
   * @return a builder for a changed copy
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id.inherit(id);
    b.url.inherit(url);
    b.eventTypes.inherit(eventTypes);
    b.secrets.inherit(secrets);
    b.timeout.inherit(timeout);
    b.enabled.inherit(enabled);
    b.description.inherit(description);
    b.metadata.inherit(metadata);
    b.allowPlainHttp.inherit(allowPlainHttp);
    b.allowPrivateAddresses.inherit(allowPrivateAddresses);
    return b;
  }

  /**
   * Returns a new random id of the form {@code sub_} followed by 22 alphanumeric characters.
   *
   * @return a new id
   */
  public static String newId() {
    char[] chars = new char[22];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
    }
    return "sub_" + new String(chars);
  }

  /**
   * Returns whether this subscription wants events of {@code eventType}, by its filters alone
   * (whether it is {@linkplain #enabled() enabled} is not considered).
   *
   * @param eventType a concrete event type, e.g. {@code job.status.changed}
   * @return true if a filter matches
   * @throws NullPointerException if {@code eventType} is null
   */
  public boolean matches(String eventType) {
    checkNotNull(eventType, "eventType");
    if (matchesAll || eventTypes.contains(eventType)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (eventType.startsWith(prefix) && eventType.length() > prefix.length()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the URL policy this subscription's options imply.
   *
   * @return the policy to check the URL and resolved addresses with
   */
  public UrlPolicy urlPolicy() {
    return UrlPolicy.of(allowPlainHttp, allowPrivateAddresses);
  }

  /**
   * Returns the id.
   *
   * @return the id, {@code [A-Za-z0-9_-]}, 1 to 64 characters
   */
  public String id() {
    return id;
  }

  /**
   * Returns the endpoint URL.
   *
   * @return the URL
   */
  public URI url() {
    return url;
  }

  /**
   * Returns the event type filters, sorted.
   *
   * @return an unmodifiable, non-empty set
   */
  public Set<String> eventTypes() {
    return eventTypes;
  }

  /**
   * Returns the signing secrets, in signing order.
   *
   * @return an unmodifiable list of 1 to {@value #MAX_SECRETS} secrets
   */
  public List<WebhookSecret> secrets() {
    return secrets;
  }

  /**
   * Returns the per-attempt delivery timeout.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns whether deliveries are made.
   *
   * @return true if enabled
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Returns the free-text description.
   *
   * @return the description, possibly empty
   */
  public String description() {
    return description;
  }

  /**
   * Returns the metadata, sorted by key.
   *
   * @return an unmodifiable map
   */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Returns whether an {@code http} URL is allowed.
   *
   * @return true if plain HTTP is allowed
   */
  public boolean allowPlainHttp() {
    return allowPlainHttp;
  }

  /**
   * Returns whether loopback, private and similar addresses are allowed.
   *
   * @return true if private addresses are allowed
   */
  public boolean allowPrivateAddresses() {
    return allowPrivateAddresses;
  }

  /**
   * Compares every field.
   *
   * @param o another object
   * @return true if {@code o} is an equal subscription
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WebhookSubscription)) {
      return false;
    }
    WebhookSubscription that = (WebhookSubscription) o;
    return enabled == that.enabled
        && allowPlainHttp == that.allowPlainHttp
        && allowPrivateAddresses == that.allowPrivateAddresses
        && id.equals(that.id)
        && url.equals(that.url)
        && eventTypes.equals(that.eventTypes)
        && secrets.equals(that.secrets)
        && timeout.equals(that.timeout)
        && description.equals(that.description)
        && metadata.equals(that.metadata);
  }

  /**
   * Returns a hash of every field.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(id, url, eventTypes, secrets, timeout, enabled, description, metadata,
        allowPlainHttp, allowPrivateAddresses);
  }

  /**
   * Describes the subscription; secrets are redacted.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "WebhookSubscription[id=" + id + ", url=" + url + ", eventTypes=" + eventTypes
        + ", secrets=" + secrets + ", timeout=" + timeout + ", enabled=" + enabled
        + ", description=" + Excerpt.of(description) + ", metadata=" + metadata.keySet()
        + ", allowPlainHttp=" + allowPlainHttp + ", allowPrivateAddresses="
        + allowPrivateAddresses + "]";
  }

  /**
   * Collects a subscription's values; each may be set once. {@link #build()} copies and validates,
   * naming the field and the rule in any error.
   */
  public static final class Builder {
    private final Option<String> id = new Option<>("id", null);
    private final Option<URI> url = new Option<>("url", null);
    private final Option<Set<String>> eventTypes = new Option<>("eventTypes", null);
    private final Option<List<WebhookSecret>> secrets = new Option<>("secrets", null);
    private final Option<Duration> timeout = new Option<>("timeout", DEFAULT_TIMEOUT);
    private final Option<Boolean> enabled = new Option<>("enabled", true);
    private final Option<String> description = new Option<>("description", "");
    private final Option<Map<String, String>> metadata = new Option<>("metadata", Map.of());
    private final Option<Boolean> allowPlainHttp = new Option<>("allowPlainHttp", false);
    private final Option<Boolean> allowPrivateAddresses =
        new Option<>("allowPrivateAddresses", false);

    private Builder() {}

    /**
     * Sets the id; defaults to {@link WebhookSubscription#newId()}.
     *
     * @param id 1 to 64 characters of {@code [A-Za-z0-9_-]}
     * @return this builder
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalStateException if the id was already set
     */
    public Builder id(String id) {
      this.id.set(id);
      return this;
    }

    /**
     * Sets the endpoint URL.
     *
     * @param url an absolute https URL (http only with {@link #allowPlainHttp(boolean)})
     * @return this builder
     * @throws NullPointerException if {@code url} is null
     * @throws IllegalStateException if the URL was already set
     */
    public Builder url(URI url) {
      this.url.set(url);
      return this;
    }

    /**
     * Parses and sets the endpoint URL.
     *
     * @param url an absolute https URL
     * @return this builder
     * @throws NullPointerException if {@code url} is null
     * @throws IllegalArgumentException if {@code url} is not a valid URI
     * @throws IllegalStateException if the URL was already set
     */
    public Builder url(String url) {
      checkNotNull(url, "url");
      try {
        return url(new URI(url));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "url " + Excerpt.of(url) + " is not a valid URI: " + e.getReason(), e);
      }
    }

    /**
     * Sets the event type filters.
     *
     * @param eventTypes exact types, {@code prefix.*} wildcards, or {@code *} alone
     * @return this builder
     * @throws NullPointerException if {@code eventTypes} or an element is null
     * @throws IllegalStateException if the event types were already set
     */
    public Builder eventTypes(Collection<String> eventTypes) {
      checkNotNull(eventTypes, "eventTypes");
      for (String type : eventTypes) {
        checkNotNull(type, "eventTypes element");
      }
      this.eventTypes.set(new TreeSet<>(eventTypes));
      return this;
    }

    /**
     * Sets the event type filters.
     *
     * @param eventTypes exact types, {@code prefix.*} wildcards, or {@code *} alone
     * @return this builder
     * @throws NullPointerException if {@code eventTypes} or an element is null
     * @throws IllegalStateException if the event types were already set
     */
    public Builder eventTypes(String... eventTypes) {
      return eventTypes(Arrays.asList(checkNotNull(eventTypes, "eventTypes")));
    }

    /**
     * Sets the signing secrets, in signing order (during rotation: new, then old).
     *
     * @param secrets 1 to {@value #MAX_SECRETS} distinct secrets
     * @return this builder
     * @throws NullPointerException if {@code secrets} or an element is null
     * @throws IllegalStateException if the secrets were already set
     */
    public Builder secrets(List<WebhookSecret> secrets) {
      checkNotNull(secrets, "secrets");
      for (WebhookSecret secret : secrets) {
        checkNotNull(secret, "secrets element");
      }
      this.secrets.set(List.copyOf(secrets));
      return this;
    }

    /**
     * Sets the signing secrets, in signing order.
     *
     * @param secrets 1 to {@value #MAX_SECRETS} distinct secrets
     * @return this builder
     * @throws NullPointerException if {@code secrets} or an element is null
     * @throws IllegalStateException if the secrets were already set
     */
    public Builder secrets(WebhookSecret... secrets) {
      return secrets(Arrays.asList(checkNotNull(secrets, "secrets")));
    }

    /**
     * Sets the per-attempt delivery timeout; defaults to {@link #DEFAULT_TIMEOUT}.
     *
     * @param timeout more than zero, at most {@link #MAX_TIMEOUT}
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout was already set
     */
    public Builder timeout(Duration timeout) {
      this.timeout.set(timeout);
      return this;
    }

    /**
     * Sets whether deliveries are made; defaults to true.
     *
     * @param enabled whether enabled
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder enabled(boolean enabled) {
      this.enabled.set(enabled);
      return this;
    }

    /**
     * Sets the description; defaults to empty.
     *
     * @param description at most {@value #MAX_DESCRIPTION_LENGTH} characters
     * @return this builder
     * @throws NullPointerException if {@code description} is null
     * @throws IllegalStateException if already set
     */
    public Builder description(String description) {
      this.description.set(description);
      return this;
    }

    /**
     * Sets free-form metadata; defaults to empty.
     *
     * @param metadata at most {@value #MAX_METADATA_ENTRIES} entries; keys 1 to 128 characters,
     *     values at most 1024 characters
     * @return this builder
     * @throws NullPointerException if {@code metadata}, a key or a value is null
     * @throws IllegalStateException if already set
     */
    public Builder metadata(Map<String, String> metadata) {
      checkNotNull(metadata, "metadata");
      metadata.forEach((k, v) -> {
        checkNotNull(k, "metadata key");
        checkNotNull(v, "metadata value of " + k);
      });
      this.metadata.set(new TreeMap<>(metadata));
      return this;
    }

    /**
     * Sets whether an {@code http} URL is accepted; defaults to false. Meant for tests and
     * trusted networks.
     *
     * @param allow whether plain HTTP is allowed
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder allowPlainHttp(boolean allow) {
      this.allowPlainHttp.set(allow);
      return this;
    }

    /**
     * Sets whether loopback, private, link-local and similar addresses are accepted; defaults to
     * false. Cloud metadata endpoints are refused regardless.
     *
     * @param allow whether private addresses are allowed
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder allowPrivateAddresses(boolean allow) {
      this.allowPrivateAddresses.set(allow);
      return this;
    }

    /**
     * Validates and builds the subscription.
     *
     * @return a new immutable subscription
     * @throws IllegalStateException if {@code url}, {@code eventTypes} or {@code secrets} was not
     *     set
     * @throws IllegalArgumentException if a value breaks its rule; the message names the field
     * @throws UrlPolicyViolationException (an {@code IllegalArgumentException}) if the URL is
     *     refused by the {@link UrlPolicy} the options imply
     */
    public WebhookSubscription build() {
      if (id.get() == null) {
        id.inherit(newId());
      }
      checkArgument(ID.matcher(id.get()).matches(),
          "id must be 1 to 64 characters of [A-Za-z0-9_-], was " + Excerpt.of(id.get()));

      URI u = url.get();
      checkState(u != null, "url is required but was not set");
      checkArgument(u.toString().length() <= MAX_URL_LENGTH,
          "url must be at most " + MAX_URL_LENGTH + " characters, was " + u.toString().length());
      UrlPolicy.of(allowPlainHttp.get(), allowPrivateAddresses.get()).checkUrl(u);

      Set<String> types = eventTypes.get();
      checkState(types != null, "eventTypes is required but was not set");
      checkArgument(!types.isEmpty(), "eventTypes must not be empty; use \"*\" for every type");
      for (String type : types) {
        checkArgument(type.length() <= MAX_EVENT_TYPE_LENGTH
                && (type.equals(WebhookEventTypes.ALL) || EVENT_TYPE.matcher(type).matches()),
            "eventTypes contains " + Excerpt.of(type) + ", which is not an event type filter: "
                + "use dot-separated segments of [A-Za-z0-9_] (at most "
                + MAX_EVENT_TYPE_LENGTH + " characters), optionally ending in \".*\", or \"*\"");
      }
      checkArgument(!types.contains(WebhookEventTypes.ALL) || types.size() == 1,
          "eventTypes contains \"*\" together with other filters; \"*\" alone matches every type");

      List<WebhookSecret> s = secrets.get();
      checkState(s != null, "secrets is required but was not set");
      checkArgument(!s.isEmpty() && s.size() <= MAX_SECRETS,
          "secrets must hold 1 to " + MAX_SECRETS + " secrets, but holds " + s.size());
      checkArgument(new HashSet<>(s).size() == s.size(),
          "secrets must be distinct, but the same secret is listed twice");

      Duration t = timeout.get();
      checkArgument(!t.isNegative() && !t.isZero() && t.compareTo(MAX_TIMEOUT) <= 0,
          "timeout must be more than zero and at most " + MAX_TIMEOUT + ", was " + t);

      checkArgument(description.get().length() <= MAX_DESCRIPTION_LENGTH,
          "description must be at most " + MAX_DESCRIPTION_LENGTH + " characters, was "
              + description.get().length());

      Map<String, String> m = metadata.get();
      checkArgument(m.size() <= MAX_METADATA_ENTRIES,
          "metadata must hold at most " + MAX_METADATA_ENTRIES + " entries, but holds "
              + m.size());
      m.forEach((k, v) -> {
        checkArgument(!k.isEmpty() && k.length() <= MAX_METADATA_KEY_LENGTH,
            "metadata key " + Excerpt.of(k) + " must be 1 to " + MAX_METADATA_KEY_LENGTH
                + " characters");
        checkArgument(v.length() <= MAX_METADATA_VALUE_LENGTH,
            "metadata value of " + Excerpt.of(k) + " must be at most "
                + MAX_METADATA_VALUE_LENGTH + " characters, was " + v.length());
      });

      return new WebhookSubscription(this,
          Collections.unmodifiableSet(new TreeSet<>(types)), List.copyOf(s),
          Collections.unmodifiableMap(new TreeMap<>(m)));
    }
  }
}
