package io.cortex.server.internal;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.server.Scope;
import io.cortex.webhooks.Delivery;
import io.cortex.webhooks.UrlPolicyViolationException;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookSecret;
import io.cortex.webhooks.WebhookSubscription;
import io.cortex.webhooks.WebhookSubscriptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code /api/plugin-core/webhooks…}: subscriptions kept in the configured
 * {@link WebhookSubscriptions}; delivery history read from, and redelivery asked of, the configured
 * {@link WebhookDispatcher}.
 */
final class WebhookRoutes {
    private static final String WEBHOOKS = "/api/plugin-core/webhooks";
    private static final String WEBHOOK = WEBHOOKS + "/{webhookId}";
    private static final long MAX_TIMEOUT_SECONDS = WebhookSubscription.MAX_TIMEOUT.toSeconds();

    private final Settings settings;
    private final WebhookSubscriptions subscriptions;
    private final WebhookDispatcher dispatcher;

    WebhookRoutes(Settings settings) {
        this.settings = settings;
        this.subscriptions = settings.webhooks();
        this.dispatcher = settings.dispatcher();
    }

    void register(Router r) {
        r.route(POST, WEBHOOKS, Scope.ADMIN, configured(this::create));
        r.route(GET, WEBHOOKS, Scope.READ, configured(c -> c.json(200, subscriptions.list().stream().map(s -> view(s, null)).toList())));
        r.route(GET, WEBHOOK, Scope.READ, configured(c -> c.json(200, view(find(c), null))));
        r.route(PUT, WEBHOOK, Scope.ADMIN, configured(this::update));
        r.route(DELETE, WEBHOOK, Scope.ADMIN, configured(c -> {
            String id = c.path("webhookId");
            if (subscriptions.delete(id).isEmpty()) {
                throw notFound(id);
            }
            c.noContent();
        }));
        r.route(GET, WEBHOOK + "/history", Scope.READ, configured(this::history));
        r.route(POST, WEBHOOK + "/deliveries/{deliveryId}/redeliver", Scope.ADMIN, configured(this::redeliver));
        r.route(POST, WEBHOOK + "/redeliver", Scope.ADMIN, configured(this::redeliverSince));
    }

    private Action configured(Action action) {
        return c -> {
            if (subscriptions == null) {
                throw Problem.of(501, Problem.Type.UNSUPPORTED, "webhooks are not configured on this server: build it with "
                        + "CortexServer.builder().webhooks(subscriptions).webhookDispatcher(dispatcher)").with("feature", "webhooks");
            }
            action.handle(c);
        };
    }

    private void create(Call c) {
        JsonNode body = c.jsonObject(true);
        Bodies.allowOnly(body, "url", "events", "timeout", "description", "secret", "enabled");
        URI url = url(Bodies.text(body, "url", true));
        List<String> events = Bodies.strings(body, "events", true);
        Long timeout = Bodies.whole(body, "timeout", false, 1, MAX_TIMEOUT_SECONDS);
        String description = Bodies.text(body, "description", false);
        Boolean enabled = Bodies.bool(body, "enabled");
        String secretText = Bodies.text(body, "secret", false);
        WebhookSecret secret;
        if (secretText == null) {
            secret = WebhookSecret.generate();
        } else {
            try {
                secret = WebhookSecret.parse(secretText);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("secret", "format", "secret must be whsec_ followed by base64 of " + WebhookSecret.MIN_BYTES
                        + " to " + WebhookSecret.MAX_BYTES + " bytes");
            }
        }
        WebhookSubscription.Builder b = WebhookSubscription.builder().url(url).eventTypes(events).secrets(secret)
                .allowPlainHttp(settings.webhookUrlPolicy().allowsPlainHttp())
                .allowPrivateAddresses(settings.webhookUrlPolicy().allowsPrivateAddresses());
        if (timeout != null) {
            b.timeout(Duration.ofSeconds(timeout));
        }
        if (description != null) {
            b.description(description);
        }
        if (enabled != null) {
            b.enabled(enabled);
        }
        WebhookSubscription created = subscriptions.create(build(b));
        c.responseHeader("Location", WEBHOOKS + "/" + created.id());
        c.json(201, view(created, secret.reveal()));
    }

    private void update(Call c) {
        String id = c.path("webhookId");
        find(c); // 404 before 400
        JsonNode body = c.jsonObject(true);
        Bodies.allowOnly(body, "url", "events", "timeout", "description", "enabled");
        String urlText = Bodies.text(body, "url", false);
        URI url = urlText == null ? null : url(urlText);
        List<String> events = Bodies.strings(body, "events", false);
        Long timeout = Bodies.whole(body, "timeout", false, 1, MAX_TIMEOUT_SECONDS);
        String description = Bodies.text(body, "description", false);
        Boolean enabled = Bodies.bool(body, "enabled");
        WebhookSubscription updated;
        try {
            updated = subscriptions.update(id, current -> {
                WebhookSubscription.Builder b = current.toBuilder();
                if (url != null) {
                    b.url(url);
                }
                if (events != null) {
                    b.eventTypes(events);
                }
                if (timeout != null) {
                    b.timeout(Duration.ofSeconds(timeout));
                }
                if (description != null) {
                    b.description(description);
                }
                if (enabled != null) {
                    b.enabled(enabled);
                }
                return build(b);
            });
        } catch (NoSuchElementException e) {
            throw notFound(id);
        }
        c.json(200, view(updated, null));
    }

    private void history(Call c) {
        String id = find(c).id();
        WebhookDispatcher d = dispatcher();
        Instant since = c.instantQuery("since");
        int limit = (int) c.longQuery("limit", 100, 1, 1000);
        List<Delivery> deliveries = d.history(id, since == null ? Instant.EPOCH : since, limit);
        c.json(200, deliveries);
    }

    /**
     * Queues one delivery again, due now: 202 with the delivery as queued (its id, the
     * {@code webhook-id}, unchanged). A delivery of another subscription is as unknown as a missing one.
     */
    private void redeliver(Call c) {
        WebhookSubscription sub = find(c);
        WebhookDispatcher d = dispatcher();
        String deliveryId = c.path("deliveryId");
        Delivery delivery = d.delivery(deliveryId).filter(x -> x.subscriptionId().equals(sub.id()))
                .orElseThrow(() -> deliveryNotFound(sub.id(), deliveryId));
        requireEnabled(sub, "delivery " + delivery.id());
        Delivery queued;
        try {
            queued = d.redeliver(deliveryId);
        } catch (NoSuchElementException e) {
            throw deliveryNotFound(sub.id(), deliveryId); // dropped by the store's retention meanwhile
        } catch (IllegalStateException e) {
            throw refused(sub.id(), e);
        }
        c.json(202, queued);
    }

    /**
     * Queues again every delivery of the endpoint created at or after {@code since} that is not pending:
     * failed and abandoned ones, and succeeded ones with {@code includeSucceeded=true}.
     */
    private void redeliverSince(Call c) {
        WebhookSubscription sub = find(c);
        WebhookDispatcher d = dispatcher();
        Instant since = c.instantQuery("since");
        if (since == null) {
            throw Problem.invalid("since", "required", "since is required: the earliest creation time of the deliveries to "
                    + "send again, an ISO-8601 instant such as 2030-01-01T00:00:00Z");
        }
        boolean includeSucceeded = c.boolQuery("includeSucceeded", false);
        requireEnabled(sub, "its deliveries");
        int n;
        try {
            n = d.redeliverSince(sub.id(), since, includeSucceeded);
        } catch (IllegalStateException e) {
            throw refused(sub.id(), e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscriptionId", sub.id());
        m.put("since", since);
        m.put("includeSucceeded", includeSucceeded);
        m.put("redelivered", n);
        c.json(202, m);
    }

    private WebhookDispatcher dispatcher() {
        if (dispatcher == null) {
            throw Problem.of(501, Problem.Type.UNSUPPORTED, "no webhook dispatcher is configured on this server, so no delivery "
                    + "is recorded or sent again: build it with CortexServer.builder().webhookDispatcher(dispatcher)")
                    .with("feature", "webhook-dispatcher");
        }
        return dispatcher;
    }

    /** A disabled endpoint receives nothing, a redelivery included: 409 saying how to enable it. */
    private static void requireEnabled(WebhookSubscription sub, String what) {
        if (!sub.enabled()) {
            throw Problem.of(409, Problem.Type.CONFLICT, "webhook '" + sub.id() + "' is disabled, so " + what + " cannot be "
                            + "redelivered: enable it first (PUT " + WEBHOOKS + "/" + sub.id() + " with {\"enabled\": true}), "
                            + "then redeliver")
                    .with("webhookId", sub.id()).with("enabled", false);
        }
    }

    /** The dispatcher refused: the subscription was deleted (404) or disabled (409) since it was read. */
    private Problem refused(String id, IllegalStateException e) {
        if (subscriptions.get(id).isEmpty()) {
            return notFound(id);
        }
        return Problem.of(409, Problem.Type.CONFLICT, String.valueOf(e.getMessage())).with("webhookId", id);
    }

    private static Problem deliveryNotFound(String webhookId, String deliveryId) {
        return Problem.notFound("delivery", deliveryId, "webhook '" + webhookId + "' has no delivery '" + deliveryId
                + "' (unknown, of another webhook, or dropped by the delivery store's retention)");
    }

    private WebhookSubscription find(Call c) {
        String id = c.path("webhookId");
        return subscriptions.get(id).orElseThrow(() -> notFound(id));
    }

    private static Problem notFound(String id) {
        return Problem.notFound("webhook", id, "webhook '" + id + "' not found");
    }

    private URI url(String text) {
        URI u;
        try {
            u = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw Problem.invalid("url", "format", "url '" + text + "' is not a URL: " + e.getReason());
        }
        try {
            settings.webhookUrlPolicy().checkUrl(u);
        } catch (UrlPolicyViolationException e) {
            throw Problem.invalid("url", e.rule().name().toLowerCase(Locale.ROOT).replace('_', '-'), String.valueOf(e.getMessage()));
        }
        return u;
    }

    /** Builds, turning the builder's validation errors (which start with the field name) into a 400 naming it. */
    private static WebhookSubscription build(WebhookSubscription.Builder b) {
        try {
            return b.build();
        } catch (UrlPolicyViolationException e) {
            throw Problem.invalid("url", e.rule().name().toLowerCase(Locale.ROOT).replace('_', '-'), String.valueOf(e.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            String m = String.valueOf(e.getMessage());
            String field = m.startsWith("eventTypes") ? "events" : m.startsWith("secrets") ? "secret"
                    : m.startsWith("url") ? "url" : m.startsWith("timeout") ? "timeout"
                    : m.startsWith("description") ? "description" : "body";
            throw Problem.invalid(field, "invalid", m.replaceFirst("^eventTypes", "events"));
        }
    }

    private Map<String, Object> view(WebhookSubscription s, String secret) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("url", s.url().toString());
        m.put("events", s.eventTypes());
        Duration t = s.timeout();
        m.put("timeout", t.toMillis() % 1000 == 0 ? (Object) t.toSeconds() : (Object) (t.toMillis() / 1000.0));
        m.put("enabled", s.enabled());
        m.put("description", s.description());
        if (!s.metadata().isEmpty()) {
            m.put("metadata", s.metadata());
        }
        m.put("secretFingerprints", s.secrets().stream().map(WebhookSecret::fingerprint).toList());
        if (secret != null) {
            m.put("secret", secret);
        }
        if (dispatcher != null) {
            try {
                m.put("endpointStatus", dispatcher.endpoint(s.id()));
            } catch (NoSuchElementException e) {
                // deleted meanwhile
            }
        }
        return m;
    }
}
