package io.cortex.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.cortex.client.CircuitBreakerConfig;
import io.cortex.client.CircuitOpenException;
import io.cortex.client.CortexApiException;
import io.cortex.client.CortexIoException;
import io.cortex.client.ErrorDetails;
import io.cortex.client.RateLimitedException;
import io.cortex.client.RetryConfig;
import io.cortex.client.RetryEvent;
import io.cortex.client.RetryListener;
import io.cortex.client.ServerException;
import io.cortex.client.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the client's calls: builds each request once, runs its attempts through a Failsafe
 * {@link RetryPolicy} (driven as a standalone {@link Execution}, so that every wait goes through the
 * injected {@link Sleeper} and every elapsed time is read from the injected {@link Clock}), an optional
 * Failsafe {@link CircuitBreaker}, and maps the answers to values or typed exceptions.
 *
 * <p>Every OkHttp {@link Response} is read and closed before the outcome of its attempt is decided, so
 * no response is ever open across a retry.
 */
public final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final byte[] NO_BYTES = new byte[0];
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final Settings settings;
    private final Duration callTimeout;
    private final RetryPolicy<Object> idempotentPolicy;
    private final RetryPolicy<Object> nonIdempotentPolicy;
    private final CircuitBreaker<Object> breaker;

    /**
     * What a transport is made of, fixed when the client is built.
     *
     * @param http the OkHttp client (its own retries and redirects off)
     * @param ownsHttp whether {@link #close()} shuts {@code http} down
     * @param baseUrl the server's base URL
     * @param apiKey the API key, or null to send none
     * @param userAgent the {@code User-Agent}
     * @param mapper the JSON mapper
     * @param retry the retry configuration
     * @param circuitBreaker the circuit breaker configuration, or null for none
     * @param listener told of every retry, or null
     * @param sleeper waits between attempts
     * @param clock tells the time
     * @param random the jitter source, or null for {@link ThreadLocalRandom}
     * @param meters records calls and retries in a Micrometer registry, or null (then no Micrometer class
     *     is loaded)
     */
    public record Settings(OkHttpClient http, boolean ownsHttp, HttpUrl baseUrl, ApiKey apiKey, String userAgent,
            ObjectMapper mapper, RetryConfig retry, CircuitBreakerConfig circuitBreaker, RetryListener listener,
            Sleeper sleeper, Clock clock, RandomGenerator random, ClientMeters meters) {}

    /**
     * A transport.
     *
     * @param settings what it is made of
     * @param callTimeout the timeout of each attempt
     */
    public Transport(Settings settings, Duration callTimeout) {
        this(settings, callTimeout, breaker(settings.circuitBreaker()));
    }

    private Transport(Settings settings, Duration callTimeout, CircuitBreaker<Object> breaker) {
        this.settings = settings;
        this.callTimeout = callTimeout;
        this.breaker = breaker;
        this.idempotentPolicy = policy(true);
        this.nonIdempotentPolicy = policy(false);
    }

    private static CircuitBreaker<Object> breaker(CircuitBreakerConfig config) {
        if (config == null) {
            return null;
        }
        return CircuitBreaker.builder().withFailureThreshold(config.failureThreshold())
                .withDelay(config.openDelay()).withSuccessThreshold(config.successThreshold()).build();
    }

    /**
     * The same transport with another attempt timeout; it shares the connections, the circuit breaker
     * and everything else.
     *
     * @param timeout the timeout of each attempt
     * @return the derived transport
     */
    public Transport withCallTimeout(Duration timeout) {
        return new Transport(settings, timeout, breaker);
    }

    /**
     * What this transport is made of.
     *
     * @return the settings
     */
    public Settings settings() {
        return settings;
    }

    /**
     * The timeout of each attempt.
     *
     * @return the timeout
     */
    public Duration callTimeout() {
        return callTimeout;
    }

    /**
     * The JSON mapper.
     *
     * @return the mapper
     */
    public ObjectMapper mapper() {
        return settings.mapper();
    }

    /**
     * Starts a request on a fixed path under the base URL.
     *
     * @param method the HTTP method
     * @param fixedPath a path such as {@code api/plugin-core/jobs}, segments separated by {@code /}
     * @return the request, to complete and send
     */
    public ApiRequest request(String method, String fixedPath) {
        return new ApiRequest(this, method, settings.baseUrl().newBuilder().addPathSegments(fixedPath));
    }

    /** Shuts the OkHttp client down when this client made it; otherwise leaves it to its owner. */
    public void close() {
        if (settings.ownsHttp()) {
            settings.http().dispatcher().executorService().shutdown();
            settings.http().connectionPool().evictAll();
        }
    }

    // ---- retry decisions ---------------------------------------------------------------------------------

    private RetryPolicy<Object> policy(boolean idempotent) {
        RetryConfig retry = settings.retry();
        return RetryPolicy.builder()
                .handleIf((result, failure) -> failure instanceof CortexApiException e && retryable(e, idempotent))
                .abortIf((result, failure) -> failure instanceof CortexApiException e && waitTooLong(e))
                .withMaxAttempts(retry.maxAttempts())
                .withDelayFn(ctx -> delay(ctx.getLastException(), ctx.getAttemptCount()))
                .build();
    }

    private boolean retryable(CortexApiException e, boolean idempotent) {
        Set<Integer> statuses = settings.retry().retryableStatuses();
        if (e instanceof RateLimitedException) {
            return statuses.contains(429);
        }
        if (e instanceof CortexIoException io) {
            return idempotent || neverSent(io.getCause());
        }
        return idempotent && e.status() >= 400 && statuses.contains(e.status());
    }

    /** True when the request provably never reached the server: the connection was not opened. */
    private static boolean neverSent(IOException e) {
        return e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException;
    }

    private static Optional<Duration> retryAfter(Throwable failure) {
        if (failure instanceof RateLimitedException r) {
            return r.retryAfter();
        }
        if (failure instanceof ServerException s) {
            return s.retryAfter();
        }
        return Optional.empty();
    }

    private boolean waitTooLong(CortexApiException e) {
        return retryAfter(e).map(d -> d.compareTo(settings.retry().maxRetryAfter()) > 0).orElse(false);
    }

    /** {@code Retry-After} when the server sent one, else full-jitter exponential backoff. */
    private Duration delay(Throwable failure, int attempts) {
        Optional<Duration> asked = retryAfter(failure);
        if (asked.isPresent()) {
            return asked.get();
        }
        RetryConfig retry = settings.retry();
        long cap = retry.maxDelay().toNanos();
        int doublings = Math.max(0, attempts - 1);
        long base = retry.baseDelay().toNanos();
        long ceiling = doublings >= 62 || base > (cap >> doublings) ? cap : Math.min(cap, base << doublings);
        RandomGenerator random = settings.random() == null ? ThreadLocalRandom.current() : settings.random();
        return Duration.ofNanos((long) (random.nextDouble() * ceiling));
    }

    // ---- one call -------------------------------------------------------------------------------------------

    /** The state of one logical call across its attempts. */
    private final class CallState<T> {
        final ApiRequest.Built request;
        final ResponseReader<T> reader;
        final Execution<Object> execution;
        final Instant start;
        final long startNanos;
        final CompletableFuture<T> future;
        int attempts;
        int lastStatus;
        volatile Call inFlight;

        CallState(ApiRequest.Built request, ResponseReader<T> reader, CompletableFuture<T> future) {
            this.request = request;
            this.reader = reader;
            this.execution = Execution.of(request.idempotent() ? idempotentPolicy : nonIdempotentPolicy);
            this.start = settings.clock().instant();
            this.startNanos = settings.meters() == null ? 0 : System.nanoTime();
            this.future = future;
        }

        /** Records the call's end in the meters, when there are meters. */
        void ended(Throwable failure) {
            ClientMeters meters = settings.meters();
            if (meters != null) {
                meters.call(request.method(), failure, lastStatus, System.nanoTime() - startNanos);
            }
        }

        ErrorDetails noAnswer(int attempt) {
            return new ErrorDetails(request.method(), request.path(), 0, null, null, attempt);
        }
    }

    /** What one attempt led to: a value, a failure to throw, or a retry after a wait. */
    private record Step<T>(T value, CortexApiException failure, Duration delay) {
        boolean isRetry() {
            return delay != null;
        }
    }

    <T> T execute(ApiRequest.Built request, ResponseReader<T> reader) {
        CallState<T> call = new CallState<>(request, reader, null);
        if (settings.meters() == null) {
            return attempts(call);
        }
        T value;
        try {
            value = attempts(call);
        } catch (RuntimeException e) {
            call.ended(e);
            throw e;
        }
        call.ended(null);
        return value;
    }

    private <T> T attempts(CallState<T> call) {
        while (true) {
            CircuitOpenException refused = refusedByBreaker(call);
            if (refused != null) {
                throw refused;
            }
            HttpResult result = null;
            IOException failure = null;
            try (Response response = newCall(call).execute()) {
                result = read(response);
            } catch (IOException e) {
                failure = e;
            }
            Step<T> step = evaluate(call, result, failure, Thread.currentThread().isInterrupted());
            if (!step.isRetry()) {
                if (step.failure() != null) {
                    throw step.failure();
                }
                return step.value();
            }
            announce(call, step);
            try {
                settings.sleeper().sleep(step.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException cause = new InterruptedIOException("interrupted while waiting to retry");
                cause.initCause(e);
                CortexIoException interrupted = new CortexIoException(call.noAnswer(call.attempts), cause);
                interrupted.addSuppressed(step.failure());
                throw interrupted;
            }
        }
    }

    <T> CompletableFuture<T> executeAsync(ApiRequest.Built request, ResponseReader<T> reader) {
        CompletableFuture<T> future = new CompletableFuture<>();
        CallState<T> call = new CallState<>(request, reader, future);
        future.whenComplete((value, failure) -> {
            Call inFlight = call.inFlight;
            if (future.isCancelled() && inFlight != null) {
                inFlight.cancel();
            }
            call.ended(failure);
        });
        attemptAsync(call);
        return future;
    }

    private <T> void attemptAsync(CallState<T> call) {
        if (call.future.isDone()) {
            return;
        }
        try {
            CircuitOpenException refused = refusedByBreaker(call);
            if (refused != null) {
                call.future.completeExceptionally(refused);
                return;
            }
            Call okCall = newCall(call);
            call.inFlight = okCall;
            okCall.enqueue(new Callback() {
                @Override
                public void onFailure(Call c, IOException e) {
                    proceedAsync(call, null, e);
                }

                @Override
                public void onResponse(Call c, Response response) {
                    HttpResult result;
                    try (response) {
                        result = read(response);
                    } catch (IOException e) {
                        proceedAsync(call, null, e);
                        return;
                    }
                    proceedAsync(call, result, null);
                }
            });
        } catch (RuntimeException e) {
            call.future.completeExceptionally(e);
        }
    }

    private <T> void proceedAsync(CallState<T> call, HttpResult result, IOException failure) {
        try {
            Step<T> step = evaluate(call, result, failure, call.future.isDone());
            if (!step.isRetry()) {
                if (step.failure() != null) {
                    call.future.completeExceptionally(step.failure());
                } else {
                    call.future.complete(step.value());
                }
                return;
            }
            announce(call, step);
            settings.sleeper().sleepAsync(step.delay()).whenComplete((ignored, interrupted) -> {
                if (interrupted != null) {
                    call.future.completeExceptionally(step.failure());
                } else {
                    attemptAsync(call);
                }
            });
        } catch (RuntimeException e) {
            call.future.completeExceptionally(e);
        }
    }

    private CircuitOpenException refusedByBreaker(CallState<?> call) {
        if (breaker == null || breaker.tryAcquirePermit()) {
            return null;
        }
        call.attempts++;
        return new CircuitOpenException(call.noAnswer(call.attempts), breaker.getRemainingDelay());
    }

    private Call newCall(CallState<?> call) {
        Duration elapsed = Duration.between(call.start, settings.clock().instant());
        Duration left = settings.retry().maxDuration().minus(elapsed);
        Duration timeout = left.compareTo(callTimeout) < 0 ? left : callTimeout;
        Call okCall = settings.http().newCall(call.request.okRequest());
        okCall.timeout().timeout(Math.max(timeout.toMillis(), 1), TimeUnit.MILLISECONDS);
        return okCall;
    }

    private static HttpResult read(Response response) throws IOException {
        ResponseBody body = response.body();
        byte[] bytes;
        if (body == null) {
            bytes = NO_BYTES;
        } else if (response.isSuccessful()) {
            bytes = body.bytes();
        } else {
            bytes = response.peekBody(MAX_ERROR_BODY).bytes();
        }
        return new HttpResult(response.code(), response.headers(), bytes);
    }

    /**
     * Decides what an attempt led to. Records the outcome with the circuit breaker and with Failsafe's
     * execution, which says whether to retry and how long to wait; then applies the total-time limit.
     */
    private <T> Step<T> evaluate(CallState<T> call, HttpResult result, IOException io, boolean stop) {
        int attempt = ++call.attempts;
        call.lastStatus = result == null ? 0 : result.status();
        String method = call.request.method();
        String path = call.request.path();
        CortexApiException failure;
        if (io != null) {
            failure = new CortexIoException(call.noAnswer(attempt), io);
        } else {
            if (result.isSuccess() || result.status() == call.request.acceptedStatus()) {
                try {
                    T value = call.reader.read(result);
                    recordBreaker(false);
                    return new Step<>(value, null, null);
                } catch (IOException | RuntimeException e) {
                    if (result.isSuccess()) {
                        recordBreaker(false);
                        return new Step<>(null, Errors.unreadable(method, path, result, attempt, e), null);
                    }
                    // an accepted error status without the expected body: an ordinary error answer
                }
            }
            failure = Errors.fromResponse(settings.mapper(), method, path, result, attempt,
                    settings.clock().instant());
        }
        recordBreaker(failure instanceof CortexIoException || failure instanceof ServerException);
        if (stop) {
            return new Step<>(null, failure, null);
        }
        call.execution.recordException(failure);
        if (call.execution.isComplete()) {
            return new Step<>(null, failure, null);
        }
        Duration delay = call.execution.getDelay();
        Duration elapsed = Duration.between(call.start, settings.clock().instant());
        Duration limit = settings.retry().maxDuration();
        if (elapsed.plus(delay).compareTo(limit) >= 0) {
            LOG.debug("Not retrying {} {}: waiting {} ms after {} ms would pass the total time limit of {} ms",
                    method, path, delay.toMillis(), elapsed.toMillis(), limit.toMillis());
            return new Step<>(null, failure, null);
        }
        return new Step<>(null, failure, delay);
    }

    private void recordBreaker(boolean failed) {
        if (breaker != null) {
            if (failed) {
                breaker.recordFailure();
            } else {
                breaker.recordSuccess();
            }
        }
    }

    private void announce(CallState<?> call, Step<?> step) {
        ApiRequest.Built request = call.request;
        LOG.debug("Retrying {} {} in {} ms (attempt {} of {} failed: {})", request.method(), request.path(),
                step.delay().toMillis(), call.attempts, settings.retry().maxAttempts(), step.failure().getMessage());
        if (settings.meters() != null) {
            settings.meters().retry(request.method(), step.failure());
        }
        RetryListener listener = settings.listener();
        if (listener == null) {
            return;
        }
        try {
            listener.onRetry(new RetryEvent(request.method(), request.path(), call.attempts, step.delay(),
                    step.failure(), request.idempotencyKey()));
        } catch (RuntimeException e) {
            LOG.warn("Retry listener {} failed; the call goes on", listener, e);
        }
    }

    // ---- request building -----------------------------------------------------------------------------------

    /**
     * Builds the OkHttp request of a call, once: every attempt sends the same request, and with it the
     * same {@code Idempotency-Key}.
     */
    Request okRequest(String method, HttpUrl url, byte[] body, String idempotencyKey) {
        Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json")
                .header("User-Agent", settings.userAgent());
        if (settings.apiKey() != null) {
            b.header("Authorization", settings.apiKey().bearer());
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        RequestBody requestBody = null;
        if (body != null) {
            requestBody = RequestBody.create(body, JSON);
        } else if ("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method)) {
            requestBody = RequestBody.create(NO_BYTES, null);
        }
        return b.method(method, requestBody).build();
    }

    static boolean idempotent(String method, String idempotencyKey) {
        return IDEMPOTENT_METHODS.contains(method) || idempotencyKey != null;
    }
}
