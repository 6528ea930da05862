package io.cortex.client;

import io.cortex.client.internal.ApiKey;
import io.cortex.client.internal.ClientMeters;
import io.cortex.client.internal.Preconditions;
import io.cortex.client.internal.Transport;
import io.cortex.core.json.CortexJson;
import io.cortex.core.util.MeterRegistries;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A typed client of a remote Cortex server's REST API. Build one per server and share it: it is
 * thread-safe and holds a connection pool.
 *
 * <pre>{@code
 * try (CortexClient cortex = CortexClient.builder()
 *         .baseUrl("https://cortex.example.com")
 *         .apiKey(System.getenv("CORTEX_API_KEY"))
 *         .build()) {
 *     Job job = cortex.jobs().submit(JobSpec.builder().image("alpine:3.20").command("echo", "hi").build());
 *     Diagnosis why = cortex.jobs().diagnose(job.id());
 * }
 * }</pre>
 *
 * <p>The endpoints are grouped as {@link #jobs()}, {@link #providers()}, {@link #webhooks()} and
 * {@link #system()}; they return Cortex's model types ({@code Job}, {@code ProviderInfo},
 * {@code Diagnosis}…), read with the same JSON mapping as the server ({@link CortexJson}). Failures are
 * {@link CortexApiException}s. Calls are retried as {@link RetryConfig} says, optionally behind a
 * circuit breaker ({@link CircuitBreakerConfig}).
 *
 * <p>The API key appears in no {@code toString}, log line or exception message.
 */
public final class CortexClient implements AutoCloseable {
    /** Default timeout of each attempt. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Default timeout of opening a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@code User-Agent}. */
    public static final String DEFAULT_USER_AGENT = "cortex-client";

    private final Transport transport;
    private final URI baseUrl;
    private final JobsApi jobs;
    private final ProvidersApi providers;
    private final WebhooksApi webhooks;
    private final SystemApi system;

    private CortexClient(Transport transport) {
        this.transport = transport;
        this.baseUrl = transport.settings().baseUrl().uri();
        this.jobs = new JobsApi(transport);
        this.providers = new ProvidersApi(transport);
        this.webhooks = new WebhooksApi(transport);
        this.system = new SystemApi(transport);
    }

    /**
     * A builder; {@link Builder#baseUrl(String)} is required, the rest has defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The job endpoints.
     *
     * @return submit, list, read, update, resubmit, cancel, diagnose
     */
    public JobsApi jobs() {
        return jobs;
    }

    /**
     * The provider endpoints.
     *
     * @return status, capabilities, wallet, credentials, endpoints
     */
    public ProvidersApi providers() {
        return providers;
    }

    /**
     * The webhook endpoints.
     *
     * @return subscriptions and their delivery history
     */
    public WebhooksApi webhooks() {
        return webhooks;
    }

    /**
     * The operator endpoints.
     *
     * @return health, rate limits, logs, services, metrics, permissions, database
     */
    public SystemApi system() {
        return system;
    }

    /**
     * A client like this one whose attempts time out after {@code timeout}: for the few calls that need
     * more (or less) time than the rest. It shares this client's connections, circuit breaker, retry
     * configuration and listener; closing either closes both.
     *
     * <pre>{@code
     * cortex.withCallTimeout(Duration.ofSeconds(2)).system().health();
     * }</pre>
     *
     * @param timeout the timeout of each attempt, still bounded by {@link RetryConfig#maxDuration()}
     * @return the derived client
     * @throws NullPointerException when {@code timeout} is null
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    public CortexClient withCallTimeout(Duration timeout) {
        return new CortexClient(transport.withCallTimeout(Preconditions.positive(timeout, "timeout")));
    }

    /**
     * The server's base URL.
     *
     * @return the base URL
     */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * How this client retries.
     *
     * @return the retry configuration
     */
    public RetryConfig retryConfig() {
        return transport.settings().retry();
    }

    /**
     * The timeout of each attempt.
     *
     * @return the call timeout
     */
    public Duration callTimeout() {
        return transport.callTimeout();
    }

    /**
     * Releases the connections and threads, when the client made its own OkHttp client; a client given
     * with {@link Builder#httpClient(OkHttpClient)} is left to its owner. Calls in flight may fail.
     */
    @Override
    public void close() {
        transport.close();
    }

    /** The base URL and configuration; the API key shows as {@code ****}. */
    @Override
    public String toString() {
        Transport.Settings s = transport.settings();
        return "CortexClient{baseUrl=" + baseUrl + ", apiKey=" + (s.apiKey() == null ? "none" : s.apiKey())
                + ", callTimeout=" + transport.callTimeout() + ", retry=" + s.retry() + ", circuitBreaker="
                + (s.circuitBreaker() == null ? "off" : s.circuitBreaker()) + "}";
    }

    /**
     * Builds a {@link CortexClient}. Each option may be set once: setting it again is an
     * {@link IllegalStateException} that says what it was already set to (the API key shows as
     * {@code ****}). Not thread-safe.
     */
    public static final class Builder {
        private HttpUrl baseUrl;
        private ApiKey apiKey;
        private RetryConfig retry;
        private CircuitBreakerConfig circuitBreaker;
        private RetryListener retryListener;
        private Duration callTimeout;
        private Duration connectTimeout;
        private OkHttpClient httpClient;
        private String userAgent;
        private Sleeper sleeper;
        private Clock clock;
        private RandomGenerator random;
        private Object meterRegistry;

        private Builder() {}

        /**
         * The server's base URL, e.g. {@code https://cortex.example.com} or
         * {@code https://example.com/cortex}; the API paths ({@code /api/…}) are appended to it.
         *
         * @param url an absolute http or https URL without user info, query or fragment
         * @return this builder
         * @throws NullPointerException when {@code url} is null
         * @throws IllegalArgumentException when it is not such a URL
         * @throws IllegalStateException when already set
         */
        public Builder baseUrl(String url) {
            Preconditions.unset(baseUrl, "baseUrl");
            Preconditions.notNull(url, "baseUrl");
            HttpUrl parsed = HttpUrl.parse(url.trim());
            Preconditions.argument(parsed != null, "baseUrl '%s' is not an absolute http or https URL", url);
            Preconditions.argument(parsed.username().isEmpty() && parsed.password().isEmpty(),
                    "baseUrl must not carry user info; pass the key with apiKey(…)");
            Preconditions.argument(parsed.query() == null && parsed.fragment() == null,
                    "baseUrl '%s' must not have a query or fragment", parsed.redact());
            // drop a trailing slash so that the API paths append cleanly
            HttpUrl.Builder b = parsed.newBuilder();
            if (parsed.pathSegments().size() > 0 && parsed.pathSegments().get(parsed.pathSize() - 1).isEmpty()) {
                b.removePathSegment(parsed.pathSize() - 1);
            }
            baseUrl = b.build();
            return this;
        }

        /**
         * The server's base URL.
         *
         * @param url an absolute http or https URL
         * @return this builder
         * @throws NullPointerException when {@code url} is null
         * @throws IllegalArgumentException when it is not such a URL
         * @throws IllegalStateException when already set
         * @see #baseUrl(String)
         */
        public Builder baseUrl(URI url) {
            return baseUrl(Preconditions.notNull(url, "baseUrl").toString());
        }

        /**
         * The API key, sent as {@code Authorization: Bearer <key>} on every call. Without one, only
         * {@code /api/health} answers.
         *
         * @param key the key
         * @return this builder
         * @throws NullPointerException when {@code key} is null
         * @throws IllegalArgumentException when it is blank or not printable ASCII
         * @throws IllegalStateException when already set (the message does not show the key)
         */
        public Builder apiKey(String key) {
            Preconditions.unset(apiKey, "apiKey", "****");
            apiKey = new ApiKey(key);
            return this;
        }

        /**
         * How calls are retried; default {@link RetryConfig#ofDefaults()}.
         *
         * @param config the retry configuration; {@link RetryConfig#disabled()} for none
         * @return this builder
         * @throws NullPointerException when {@code config} is null
         * @throws IllegalStateException when already set
         */
        public Builder retry(RetryConfig config) {
            Preconditions.unset(retry, "retry");
            retry = Preconditions.notNull(config, "retry");
            return this;
        }

        /**
         * Puts a circuit breaker in front of the calls; default none.
         *
         * @param config the breaker configuration, e.g. {@link CircuitBreakerConfig#ofDefaults()}
         * @return this builder
         * @throws NullPointerException when {@code config} is null
         * @throws IllegalStateException when already set
         */
        public Builder circuitBreaker(CircuitBreakerConfig config) {
            Preconditions.unset(circuitBreaker, "circuitBreaker");
            circuitBreaker = Preconditions.notNull(config, "circuitBreaker");
            return this;
        }

        /**
         * Told of every retry; default none (retries are logged at DEBUG).
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException when {@code listener} is null
         * @throws IllegalStateException when already set
         */
        public Builder retryListener(RetryListener listener) {
            Preconditions.unset(retryListener, "retryListener");
            retryListener = Preconditions.notNull(listener, "retryListener");
            return this;
        }

        /**
         * The timeout of each attempt, from sending the request to reading the whole answer; default 30 s.
         * It is also cut to the time left of {@link RetryConfig#maxDuration()}.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws NullPointerException when {@code timeout} is null
         * @throws IllegalArgumentException when it is not positive
         * @throws IllegalStateException when already set
         */
        public Builder callTimeout(Duration timeout) {
            Preconditions.unset(callTimeout, "callTimeout");
            callTimeout = Preconditions.positive(timeout, "callTimeout");
            return this;
        }

        /**
         * The timeout of opening a connection; default 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws NullPointerException when {@code timeout} is null
         * @throws IllegalArgumentException when it is not positive
         * @throws IllegalStateException when already set
         */
        public Builder connectTimeout(Duration timeout) {
            Preconditions.unset(connectTimeout, "connectTimeout");
            connectTimeout = Preconditions.positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * An OkHttp client to share connection pool, dispatcher, TLS settings and interceptors with.
         * The Cortex client uses a derived copy whose own retries and redirects are off (the Cortex client
         * decides every retry) and whose timeouts are the Cortex client's; closing the Cortex client leaves
         * this one open.
         *
         * @param client the OkHttp client
         * @return this builder
         * @throws NullPointerException when {@code client} is null
         * @throws IllegalStateException when already set
         */
        public Builder httpClient(OkHttpClient client) {
            Preconditions.unset(httpClient, "httpClient");
            httpClient = Preconditions.notNull(client, "httpClient");
            return this;
        }

        /**
         * The {@code User-Agent} header; default {@code cortex-client}.
         *
         * @param value the header value
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalArgumentException when it is blank
         * @throws IllegalStateException when already set
         */
        public Builder userAgent(String value) {
            Preconditions.unset(userAgent, "userAgent");
            userAgent = Preconditions.notBlank(value, "userAgent");
            return this;
        }

        /**
         * How the client waits between attempts; default {@link Sleeper#system()}. Tests pass one that
         * records the waits and returns at once.
         *
         * @param value the sleeper
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder sleeper(Sleeper value) {
            Preconditions.unset(sleeper, "sleeper");
            sleeper = Preconditions.notNull(value, "sleeper");
            return this;
        }

        /**
         * The clock that measures a call's total time and turns an HTTP-date {@code Retry-After} into a
         * wait; default the system clock. Tests pass one that their sleeper moves forward.
         *
         * @param value the clock
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder clock(Clock value) {
            Preconditions.unset(clock, "clock");
            clock = Preconditions.notNull(value, "clock");
            return this;
        }

        /**
         * The source of the backoff jitter; default {@link java.util.concurrent.ThreadLocalRandom}. It must
         * be thread-safe when the client is shared between threads.
         *
         * @param value the random generator
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         * @throws IllegalStateException when already set
         */
        public Builder random(RandomGenerator value) {
            Preconditions.unset(random, "random");
            random = Preconditions.notNull(value, "random");
            return this;
        }

        /**
         * Records the client's meters in this Micrometer {@code MeterRegistry}; default none, and then no
         * Micrometer class is loaded. Micrometer is an optional dependency, so the parameter is typed
         * {@code Object}: pass an {@code io.micrometer.core.instrument.MeterRegistry}. Meters:
         * {@code cortex.client.calls}, a timer of whole calls (retries and waits included) by {@code method},
         * {@code outcome} and final {@code status}, and {@code cortex.client.retries}, a counter of retries by
         * {@code method}, {@code reason} and {@code status}. They belong to the registry: clients sharing one
         * add up.
         *
         * @param registry the registry
         * @return this builder
         * @throws NullPointerException when {@code registry} is null
         * @throws IllegalArgumentException when it is not a Micrometer {@code MeterRegistry}
         * @throws IllegalStateException when already set
         */
        public Builder meterRegistry(Object registry) {
            Preconditions.unset(meterRegistry, "meterRegistry");
            meterRegistry = MeterRegistries.require(registry, "meterRegistry");
            return this;
        }

        /**
         * Builds the client.
         *
         * @return a new client, to {@linkplain CortexClient#close() close} when done
         * @throws IllegalStateException when no base URL was set
         */
        public CortexClient build() {
            Preconditions.state(baseUrl != null, "baseUrl is required: CortexClient.builder().baseUrl(\"https://…\")");
            Duration attemptTimeout = callTimeout == null ? DEFAULT_CALL_TIMEOUT : callTimeout;
            boolean owns = httpClient == null;
            OkHttpClient.Builder http = owns ? new OkHttpClient.Builder().dispatcher(newDispatcher())
                    : httpClient.newBuilder();
            OkHttpClient okHttp = http.retryOnConnectionFailure(false).followRedirects(false)
                    .followSslRedirects(false)
                    .connectTimeout(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout)
                    // each attempt is bounded by its call timeout, set per call
                    .readTimeout(Duration.ZERO).writeTimeout(Duration.ZERO).callTimeout(attemptTimeout)
                    .build();
            Transport.Settings settings = new Transport.Settings(okHttp, owns, baseUrl, apiKey,
                    userAgent == null ? DEFAULT_USER_AGENT : userAgent, CortexJson.mapper(),
                    retry == null ? RetryConfig.ofDefaults() : retry, circuitBreaker, retryListener,
                    sleeper == null ? Sleeper.system() : sleeper, clock == null ? Clock.systemUTC() : clock, random,
                    meterRegistry == null ? null : ClientMeters.of(meterRegistry));
            return new CortexClient(new Transport(settings, attemptTimeout));
        }

        private static Dispatcher newDispatcher() {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory daemons = r -> {
                Thread t = new Thread(r, "cortex-client-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            Dispatcher dispatcher = new Dispatcher(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), daemons));
            // one server: let asynchronous calls use more than OkHttp's 5 connections per host
            dispatcher.setMaxRequestsPerHost(64);
            return dispatcher;
        }

        /** The options set so far; the API key shows as {@code ****}. */
        @Override
        public String toString() {
            return "CortexClient.Builder{baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "unset" : apiKey)
                    + ", retry=" + retry + ", circuitBreaker=" + circuitBreaker + ", callTimeout=" + callTimeout
                    + "}";
        }
    }
}
