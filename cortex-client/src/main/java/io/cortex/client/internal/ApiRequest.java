package io.cortex.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * One call being put together: path, query, body, idempotency key; then sent, blocking or
 * asynchronously. Not thread-safe; used once.
 */
public final class ApiRequest {
    private final Transport transport;
    private final String method;
    private final HttpUrl.Builder url;
    private byte[] body;
    private String idempotencyKey;
    private int acceptedStatus;

    ApiRequest(Transport transport, String method, HttpUrl.Builder url) {
        this.transport = transport;
        this.method = method;
        this.url = url;
    }

    /**
     * Appends one path segment, encoded ({@code /} in it becomes {@code %2F}).
     *
     * @param value the segment, e.g. a job id
     * @return this request
     */
    public ApiRequest segment(String value) {
        url.addPathSegment(Preconditions.notBlank(value, "path segment"));
        return this;
    }

    /**
     * Appends fixed path segments.
     *
     * @param fixed e.g. {@code wallet/topup}
     * @return this request
     */
    public ApiRequest path(String fixed) {
        url.addPathSegments(fixed);
        return this;
    }

    /**
     * Adds a query parameter unless the value is null.
     *
     * @param name the name
     * @param value the value, or null to add nothing
     * @return this request
     */
    public ApiRequest query(String name, Object value) {
        if (value != null) {
            url.addQueryParameter(name, value.toString());
        }
        return this;
    }

    /**
     * Sets the JSON body.
     *
     * @param value the body, written with the client's mapper
     * @return this request
     * @throws IllegalArgumentException when the value cannot be written as JSON
     */
    public ApiRequest body(Object value) {
        try {
            body = transport.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body as JSON: " + e.getOriginalMessage(), e);
        }
        return this;
    }

    /**
     * Sets the {@code Idempotency-Key}; a {@code POST} with one is retried like an idempotent call.
     *
     * @param key the key, or null for none
     * @return this request
     */
    public ApiRequest idempotencyKey(String key) {
        idempotencyKey = key;
        return this;
    }

    /**
     * Reads one non-2xx status with the call's reader too (health answers 503 with a report when it is
     * down). When the reader cannot read it, the answer is an ordinary error.
     *
     * @param status the status
     * @return this request
     */
    public ApiRequest accept(int status) {
        acceptedStatus = status;
        return this;
    }

    /**
     * Sends the call and waits for its value, retrying as configured.
     *
     * @param reader reads a 2xx answer
     * @param <T> the value type
     * @return the value
     * @throws io.cortex.client.CortexApiException when the call fails
     */
    public <T> T call(ResponseReader<T> reader) {
        return transport.execute(build(), reader);
    }

    /**
     * Sends the call without waiting.
     *
     * @param reader reads a 2xx answer
     * @param <T> the value type
     * @return the value, or the {@link io.cortex.client.CortexApiException} the call failed with
     */
    public <T> CompletableFuture<T> callAsync(ResponseReader<T> reader) {
        try {
            return transport.executeAsync(build(), reader);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Built build() {
        HttpUrl built = url.build();
        Request request = transport.okRequest(method, built, body, idempotencyKey);
        return new Built(method, built.encodedPath(), request, idempotencyKey,
                Transport.idempotent(method, idempotencyKey), acceptedStatus);
    }

    /**
     * A request ready to send.
     *
     * @param method the method
     * @param path the encoded path, for messages
     * @param okRequest what OkHttp sends at every attempt
     * @param idempotencyKey the key, or null
     * @param idempotent whether it may be retried after the server may have acted on it
     * @param acceptedStatus a non-2xx status read by the reader too, or 0
     */
    record Built(String method, String path, Request okRequest, String idempotencyKey, boolean idempotent,
            int acceptedStatus) {}
}
