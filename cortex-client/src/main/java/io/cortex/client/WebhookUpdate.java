package io.cortex.client;

import io.cortex.client.internal.Preconditions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A partial change of a webhook subscription for {@link WebhooksApi#update(String, WebhookUpdate)}:
 * start from {@link #none()} and set what changes; what stays null is left as it is.
 *
 * @param url the new URL, or null
 * @param events the new event types, or null
 * @param timeout the new delivery timeout, or null
 * @param enabled enable or disable, or null
 */
public record WebhookUpdate(String url, List<String> events, Duration timeout, Boolean enabled) {
    /**
     * Validates and copies.
     *
     * @param url the new URL, or null
     * @param events the new event types, or null
     * @param timeout the new delivery timeout, or null
     * @param enabled enable or disable, or null
     * @throws IllegalArgumentException when url is blank, events empty or timeout not positive
     */
    public WebhookUpdate {
        if (url != null) {
            Preconditions.notBlank(url, "url");
        }
        if (events != null) {
            events = List.copyOf(events);
            Preconditions.argument(!events.isEmpty(), "events must not be empty");
        }
        if (timeout != null) {
            Preconditions.positive(timeout, "timeout");
        }
    }

    /**
     * A change of nothing, to add to.
     *
     * @return the empty change
     */
    public static WebhookUpdate none() {
        return new WebhookUpdate(null, null, null, null);
    }

    /**
     * A copy that moves the subscription to another URL.
     *
     * @param value the URL
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     */
    public WebhookUpdate withUrl(String value) {
        return new WebhookUpdate(Preconditions.notNull(value, "url"), events, timeout, enabled);
    }

    /**
     * A copy that replaces the event types.
     *
     * @param values the event types, at least one
     * @return the copy
     * @throws NullPointerException when {@code values} is null
     */
    public WebhookUpdate withEvents(String... values) {
        return new WebhookUpdate(url, List.of(Preconditions.notNull(values, "events")), timeout, enabled);
    }

    /**
     * A copy that changes the delivery timeout.
     *
     * @param value positive; sent in whole seconds
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     */
    public WebhookUpdate withTimeout(Duration value) {
        return new WebhookUpdate(url, events, Preconditions.notNull(value, "timeout"), enabled);
    }

    /**
     * A copy that enables or disables the subscription.
     *
     * @param value true to enable
     * @return the copy
     */
    public WebhookUpdate withEnabled(boolean value) {
        return new WebhookUpdate(url, events, timeout, value);
    }

    /**
     * The request body.
     *
     * @return the JSON members of what changes
     */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (url != null) {
            body.put("url", url);
        }
        if (events != null) {
            body.put("events", events);
        }
        if (timeout != null) {
            body.put("timeout", Math.max(1, timeout.toSeconds()));
        }
        if (enabled != null) {
            body.put("enabled", enabled);
        }
        return body;
    }
}
