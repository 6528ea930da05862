package io.cortex.server;

import io.cortex.core.Cortex;
import io.cortex.core.util.MeterRegistries;
import io.cortex.server.internal.EventStreams;
import io.cortex.server.internal.HttpApi;
import io.cortex.server.internal.Settings;
import io.cortex.webhooks.UrlPolicy;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookSubscriptions;
import io.javalin.Javalin;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Serves an embedded {@link Cortex} engine over the REST API of {@code docs/rest-api.md}, on Javalin
 * and Jetty 12.
 *
 * <pre>{@code
 * ApiKeys keys = new ApiKeys();
 * GeneratedApiKey admin = keys.generate("ops", Scope.ADMIN);
 * try (CortexServer server = CortexServer.builder().cortex(engine).apiKeys(keys).port(8080).start()) {
 *     handOver(admin.token(), server.uri());   // the token is shown once: never log it
 *     ...
 * }
 * }</pre>
 *
 * <p>Every request gets a request id ({@code X-Request-Id}, also in every problem and, as MDC key
 * {@code requestId}, in the server log); every error is an {@code application/problem+json}
 * problem with a stable type. Authenticated requests spend a token of their key's bucket and carry
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset}. Closing the
 * server does not close the engine. Thread-safe.
 *
 * <p>It also serves the operator console at {@code /console/} ({@code GET /} redirects there): a
 * dashboard of jobs, providers, webhooks and the system, signed in with an API key and limited to what
 * the key's scopes allow ({@link Builder#console(boolean)} turns it off).
 */
public final class CortexServer implements AutoCloseable {
    /** Default largest request body: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** Default limit of each key: 600 requests per minute, bursts of up to 600. */
    public static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perMinute(600);
    /** Default number of idempotency keys remembered. */
    public static final int DEFAULT_IDEMPOTENCY_KEYS = 10_000;
    /** Default time an idempotency key is remembered. */
    public static final Duration DEFAULT_IDEMPOTENCY_AGE = Duration.ofHours(24);
    /** Default number of events the event stream keeps for clients that reconnect. */
    public static final int DEFAULT_EVENT_REPLAY_WINDOW = 10_000;
    /** Default longest silence of an event stream: a {@code : keep-alive} comment is sent after it. */
    public static final Duration DEFAULT_EVENT_KEEP_ALIVE = Duration.ofSeconds(15);
    /** Default number of event streams open at once (each holds a request thread while open). */
    public static final int DEFAULT_MAX_EVENT_STREAMS = 100;

    private final Javalin app;
    private final String host;
    private final ApiKeys apiKeys;
    private final EventStreams events;
    private volatile boolean closed;

    private CortexServer(Javalin app, String host, ApiKeys apiKeys, EventStreams events) {
        this.app = app;
        this.host = host;
        this.apiKeys = apiKeys;
        this.events = events;
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The port the server listens on (the one the system chose when built with port 0).
     *
     * @return the port
     */
    public int port() {
        return app.port();
    }

    /**
     * The host the server listens on.
     *
     * @return the host, e.g. {@code 127.0.0.1}
     */
    public String host() {
        return host;
    }

    /**
     * The base URI, e.g. {@code http://127.0.0.1:8080}.
     *
     * @return the URI
     */
    public URI uri() {
        String h = host.equals("0.0.0.0") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port());
    }

    /**
     * The keys the server accepts; generate or revoke keys here while it runs.
     *
     * @return the keys
     */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /**
     * How many clients are reading the event stream ({@code GET /api/plugin-core/events}) now.
     *
     * @return the count
     */
    public int eventStreamClients() {
        return events.clients();
    }

    /**
     * The routes the server registered: what the OpenAPI document is checked against.
     *
     * @return method, path and scope of every endpoint
     */
    List<HttpApi.Route> routes() {
        return HttpApi.routes(app);
    }

    /**
     * Ends every event stream, stops listening and lets requests under way finish. Idempotent; the
     * engine stays open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        events.close();
        app.stop();
    }

    /**
     * Describes the server.
     *
     * @return e.g. {@code CortexServer[http://127.0.0.1:8080]}
     */
    @Override
    public String toString() {
        return "CortexServer[" + (closed ? "closed" : uri()) + "]";
    }

    /**
     * Builds and starts a {@link CortexServer}. Only {@link #cortex(Cortex)} is required. Each option
     * may be set once; setting it again is an error that says what it was set to.
     */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private final Map<String, Object> values = new LinkedHashMap<>();
        private Cortex cortex;
        private String host = "127.0.0.1";
        private int port;
        private ApiKeys apiKeys;
        private RateLimit rateLimit = DEFAULT_RATE_LIMIT;
        private Clock clock;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int idempotencyKeys = DEFAULT_IDEMPOTENCY_KEYS;
        private Duration idempotencyAge = DEFAULT_IDEMPOTENCY_AGE;
        private WebhookSubscriptions webhooks;
        private WebhookDispatcher dispatcher;
        private UrlPolicy webhookUrlPolicy = UrlPolicy.strict();
        private Object prometheusRegistry;
        private int eventReplayWindow = DEFAULT_EVENT_REPLAY_WINDOW;
        private Duration eventKeepAlive = DEFAULT_EVENT_KEEP_ALIVE;
        private int maxEventStreams = DEFAULT_MAX_EVENT_STREAMS;
        private boolean console = true;

        private Builder() {}

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set to " + values.get(option));
            }
            values.put(option, value);
        }

        /**
         * The engine to serve; required.
         *
         * @param value the engine
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder cortex(Cortex value) {
            Objects.requireNonNull(value, "cortex cannot be null");
            once("cortex", value);
            this.cortex = value;
            return this;
        }

        /**
         * The address to listen on (default {@code 127.0.0.1}, this machine only; {@code 0.0.0.0} for
         * every interface).
         *
         * @param value a host name or IP address
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalArgumentException when blank
         * @throws IllegalStateException when already set
         */
        public Builder host(String value) {
            Objects.requireNonNull(value, "host cannot be null");
            if (value.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            once("host", value);
            this.host = value;
            return this;
        }

        /**
         * The port (default 0: one the system picks; read it back with {@link CortexServer#port()}).
         *
         * @param value 0 to 65535
         * @return this builder
         * @throws IllegalArgumentException when out of range
         * @throws IllegalStateException when already set
         */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + value);
            }
            once("port", value);
            this.port = value;
            return this;
        }

        /**
         * The keys accepted (default: a new, empty {@link ApiKeys}, filled later through
         * {@link CortexServer#apiKeys()}).
         *
         * @param value the keys
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder apiKeys(ApiKeys value) {
            Objects.requireNonNull(value, "apiKeys cannot be null");
            once("apiKeys", value);
            this.apiKeys = value;
            return this;
        }

        /**
         * The rate limit of every key (default {@link #DEFAULT_RATE_LIMIT}); {@link RateLimit#unlimited()}
         * for none.
         *
         * @param value the limit
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder rateLimit(RateLimit value) {
            Objects.requireNonNull(value, "rateLimit cannot be null");
            once("rateLimit", value);
            this.rateLimit = value;
            return this;
        }

        /**
         * The clock of the rate limiter and the idempotency keys (default: the engine's clock).
         *
         * @param value the clock
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder clock(Clock value) {
            Objects.requireNonNull(value, "clock cannot be null");
            once("clock", value);
            this.clock = value;
            return this;
        }

        /**
         * The largest request body accepted; a larger one is answered 413 (default 1 MiB).
         *
         * @param value 1 byte to 64 MiB
         * @return this builder
         * @throws IllegalArgumentException when out of range
         * @throws IllegalStateException when already set
         */
        public Builder maxBodyBytes(long value) {
            if (value < 1 || value > 64L * 1024 * 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be between 1 and 67108864, got " + value);
            }
            once("maxBodyBytes", value);
            this.maxBodyBytes = value;
            return this;
        }

        /**
         * How many {@code Idempotency-Key}s are remembered and for how long (default 10,000 keys, 24 h);
         * the oldest is forgotten first.
         *
         * @param maxKeys 1 to 10,000,000
         * @param maxAge 1 second to 30 days
         * @return this builder
         * @throws NullPointerException when {@code maxAge} is null
         * @throws IllegalArgumentException when out of range
         * @throws IllegalStateException when already set
         */
        public Builder idempotency(int maxKeys, Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge cannot be null");
            if (maxKeys < 1 || maxKeys > 10_000_000) {
                throw new IllegalArgumentException("idempotency maxKeys must be between 1 and 10000000, got " + maxKeys);
            }
            if (maxAge.compareTo(Duration.ofSeconds(1)) < 0 || maxAge.compareTo(Duration.ofDays(30)) > 0) {
                throw new IllegalArgumentException("idempotency maxAge must be between 1 second and 30 days, got " + maxAge);
            }
            once("idempotency", maxKeys + " keys / " + maxAge);
            this.idempotencyKeys = maxKeys;
            this.idempotencyAge = maxAge;
            return this;
        }

        /**
         * The webhook subscriptions to serve (the registry the dispatcher reads). Without it, the
         * webhook paths answer 501.
         *
         * @param value the registry
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder webhooks(WebhookSubscriptions value) {
            Objects.requireNonNull(value, "webhooks cannot be null");
            once("webhooks", value);
            this.webhooks = value;
            return this;
        }

        /**
         * The dispatcher whose delivery history and metrics are served and which redelivers on request.
         * Without it, {@code GET …/webhooks/{id}/history} and the redelivery paths
         * ({@code POST …/webhooks/{id}/deliveries/{deliveryId}/redeliver}, {@code POST …/webhooks/{id}/redeliver})
         * answer 501.
         *
         * @param value the dispatcher; it must read the registry given to {@link #webhooks}
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder webhookDispatcher(WebhookDispatcher value) {
            Objects.requireNonNull(value, "webhookDispatcher cannot be null");
            once("webhookDispatcher", value);
            this.dispatcher = value;
            return this;
        }

        /**
         * The URL policy of subscriptions created over HTTP (default {@link UrlPolicy#strict()}:
         * https and public addresses only).
         *
         * @param value the policy
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder webhookUrlPolicy(UrlPolicy value) {
            Objects.requireNonNull(value, "webhookUrlPolicy cannot be null");
            once("webhookUrlPolicy", value);
            this.webhookUrlPolicy = value;
            return this;
        }

        /**
         * The Prometheus registry served at {@code GET /api/system/metrics/prometheus} (scope read). Without
         * it the server serves the registry the engine records into (see {@code Cortex.Builder.meterRegistry})
         * when that is a {@code PrometheusMeterRegistry} or a {@code CompositeMeterRegistry} holding one;
         * with neither, the path answers 404 with how to enable it. The server never creates a registry of
         * its own. Micrometer is an optional dependency, so the parameter is typed {@code Object}.
         *
         * @param value an {@code io.micrometer.prometheusmetrics.PrometheusMeterRegistry}
         *     (io.micrometer:micrometer-registry-prometheus)
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalArgumentException when it is not such a registry
         * @throws IllegalStateException when already set
         */
        public Builder prometheusRegistry(Object value) {
            Objects.requireNonNull(value, "prometheusRegistry cannot be null");
            String type = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";
            if (!MeterRegistries.isInstance(value, type)) {
                throw new IllegalArgumentException("prometheusRegistry must be a " + type
                        + " (from io.micrometer:micrometer-registry-prometheus), got " + value.getClass().getName());
            }
            once("prometheusRegistry", value);
            this.prometheusRegistry = value;
            return this;
        }

        /**
         * How many events the event stream ({@code GET /api/plugin-core/events}) keeps for clients that
         * reconnect with {@code Last-Event-ID} (default 10,000); a client asking for an older one is told
         * with a {@code cortex.replay.gap} message, and so is a client that falls this far behind.
         *
         * @param value 1 to 1,000,000
         * @return this builder
         * @throws IllegalArgumentException when out of range
         * @throws IllegalStateException when already set
         */
        public Builder eventReplayWindow(int value) {
            if (value < 1 || value > 1_000_000) {
                throw new IllegalArgumentException("eventReplayWindow must be between 1 and 1000000, got " + value);
            }
            once("eventReplayWindow", value);
            this.eventReplayWindow = value;
            return this;
        }

        /**
         * The longest an event stream stays silent: after it, a {@code : keep-alive} comment is sent
         * (default 15 s). It is also how soon a client that went away without a word is noticed.
         *
         * @param value 10 ms to 25 s (below the connector's 30 s idle timeout)
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalArgumentException when out of range
         * @throws IllegalStateException when already set
         */
        public Builder eventKeepAlive(Duration value) {
            Objects.requireNonNull(value, "eventKeepAlive cannot be null");
            if (value.compareTo(Duration.ofMillis(10)) < 0 || value.compareTo(Duration.ofSeconds(25)) > 0) {
                throw new IllegalArgumentException("eventKeepAlive must be between 10 ms and 25 s, got " + value);
            }
            once("eventKeepAlive", value);
            this.eventKeepAlive = value;
            return this;
        }

        /**
         * How many event streams may be open at once (default 100); one more is answered 503 with
         * {@code Retry-After}. Each open stream holds one of the server's request threads.
         *
         * @param value 1 to 200
         * @return this builder
         * @throws IllegalArgumentException when out of range
         * @throws IllegalStateException when already set
         */
        public Builder maxEventStreams(int value) {
            if (value < 1 || value > 200) {
                throw new IllegalArgumentException("maxEventStreams must be between 1 and 200, got " + value);
            }
            once("maxEventStreams", value);
            this.maxEventStreams = value;
            return this;
        }

        /**
         * Whether the operator console (a dashboard of static pages over this REST API) is served at
         * {@code /console/}, with {@code GET /} redirecting there (default: served). It needs no
         * internet access: every asset comes from the server. Without it, those paths answer 404.
         *
         * @param value false to serve the REST API only
         * @return this builder
         * @throws IllegalStateException when already set
         */
        public Builder console(boolean value) {
            once("console", value);
            this.console = value;
            return this;
        }

        /**
         * Builds the server and starts listening.
         *
         * @return the running server
         * @throws IllegalStateException when no engine was set, a dispatcher was set without
         *     subscriptions, or the server cannot listen (e.g. the port is taken)
         */
        public CortexServer start() {
            if (cortex == null) {
                throw new IllegalStateException("cortex is required: CortexServer.builder().cortex(engine)");
            }
            if (dispatcher != null && webhooks == null) {
                throw new IllegalStateException("a webhookDispatcher needs the webhooks (subscriptions) it reads");
            }
            ApiKeys keys = apiKeys != null ? apiKeys : new ApiKeys(cortex.clock());
            // event ids start at the wall clock's microseconds-ish, so a restarted server's ids are higher than any
            // its predecessor sent: a client resuming across a restart gets the gap message, not a wrong replay
            EventStreams events = new EventStreams(cortex, dispatcher, eventReplayWindow, eventKeepAlive, maxEventStreams,
                    System.currentTimeMillis() * 1000);
            Settings settings = new Settings(cortex, keys, rateLimit, clock != null ? clock : cortex.clock(), maxBodyBytes,
                    idempotencyKeys, idempotencyAge, webhooks, dispatcher, webhookUrlPolicy, prometheusRegistry, events,
                    console);
            Javalin app = HttpApi.create(settings);
            try {
                app.start(host, port);
            } catch (RuntimeException e) {
                events.close();
                try {
                    app.stop();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            return new CortexServer(app, host, keys, events);
        }
    }
}
