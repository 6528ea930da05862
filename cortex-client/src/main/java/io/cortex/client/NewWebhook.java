package io.cortex.client;

import io.cortex.client.internal.Preconditions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link WebhooksApi#create(NewWebhook)} subscribes: made with {@link #of(String, String...)} and
 * completed with the {@code with…} methods.
 *
 * @param url where events are posted (https, unless the server allows otherwise)
 * @param events the event types, at least one; {@code *} for all
 * @param timeout how long a delivery may take, or null for the server's default (10 s)
 * @param description free text, or null
 * @param secret a signing secret {@code whsec_…} to use, or null to let the server make one;
 *     redacted by {@link #toString()}
 */
public record NewWebhook(String url, List<String> events, Duration timeout, String description, String secret) {
    /**
     * Validates and copies.
     *
     * @param url where events are posted (https, unless the server allows otherwise)
     * @param events the event types, at least one; {@code *} for all
     * @param timeout how long a delivery may take, or null for the server's default (10 s)
     * @param description free text, or null
     * @param secret a signing secret {@code whsec_…} to use, or null to let the server make one; redacted by {@link #toString()}
     * @throws NullPointerException when url or events is null
     * @throws IllegalArgumentException when url is blank, events empty, or timeout not positive
     */
    public NewWebhook {
        Preconditions.notBlank(url, "url");
        Preconditions.notNull(events, "events");
        events = List.copyOf(events);
        Preconditions.argument(!events.isEmpty(), "events must not be empty");
        if (timeout != null) {
            Preconditions.positive(timeout, "timeout");
        }
    }

    /**
     * A subscription of {@code url} to {@code events}, with the server's default timeout and secret.
     *
     * @param url where events are posted
     * @param events the event types, at least one
     * @return the request
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when url is blank or no event is given
     */
    public static NewWebhook of(String url, String... events) {
        return new NewWebhook(url, List.of(Preconditions.notNull(events, "events")), null, null, null);
    }

    /**
     * A copy with a delivery timeout.
     *
     * @param value positive; sent in whole seconds
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     * @throws IllegalArgumentException when {@code value} is not positive
     */
    public NewWebhook withTimeout(Duration value) {
        return new NewWebhook(url, events, Preconditions.notNull(value, "timeout"), description, secret);
    }

    /**
     * A copy with a description.
     *
     * @param value free text
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     */
    public NewWebhook withDescription(String value) {
        return new NewWebhook(url, events, timeout, Preconditions.notNull(value, "description"), secret);
    }

    /**
     * A copy with the caller's signing secret.
     *
     * @param value {@code whsec_} and base64
     * @return the copy
     * @throws NullPointerException when {@code value} is null
     */
    public NewWebhook withSecret(String value) {
        return new NewWebhook(url, events, timeout, description, Preconditions.notNull(value, "secret"));
    }

    /**
     * The request body.
     *
     * @return the JSON members, absent options omitted
     */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("events", events);
        if (timeout != null) {
            body.put("timeout", Math.max(1, timeout.toSeconds()));
        }
        if (description != null) {
            body.put("description", description);
        }
        if (secret != null) {
            body.put("secret", secret);
        }
        return body;
    }

    /** Everything but the secret. */
    @Override
    public String toString() {
        return "NewWebhook{url=" + url + ", events=" + events + ", timeout=" + timeout + ", description=" + description
                + (secret == null ? "" : ", secret=****") + "}";
    }
}
