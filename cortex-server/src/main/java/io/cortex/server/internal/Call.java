package io.cortex.server.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.cortex.core.job.JobId;
import io.cortex.core.json.CortexJson;
import io.cortex.core.provider.ProviderId;
import io.cortex.server.ApiKey;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * One request as a handler sees it: path and query parameters, the body read within the size limit
 * and parsed with Cortex's mapper, and the answer written as JSON. Every read that fails throws a
 * {@link Problem} naming the parameter or field.
 */
public final class Call {
    /** Duplicate member names in a body are an error, not "last one wins". */
    private static final ObjectReader TREE_READER =
            CortexJson.mapper().reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Context ctx;
    private final ApiKey key;
    private final RateLimiter.Decision rate;
    private final long maxBodyBytes;
    private byte[] body;

    Call(Context ctx, ApiKey key, RateLimiter.Decision rate, long maxBodyBytes) {
        this.ctx = ctx;
        this.key = key;
        this.rate = rate;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * The Javalin context.
     *
     * @return the context
     */
    public Context ctx() {
        return ctx;
    }

    /**
     * The caller's key.
     *
     * @return the key; null on an endpoint without authentication
     */
    public ApiKey key() {
        return key;
    }

    /**
     * The rate limit decision of this request.
     *
     * @return the decision; null when unlimited or unauthenticated
     */
    public RateLimiter.Decision rate() {
        return rate;
    }

    /**
     * A path parameter.
     *
     * @param name the parameter
     * @return its value
     */
    public String path(String name) {
        return ctx.pathParam(name);
    }

    /**
     * The {@code jobId} path parameter; a malformed id is a job that does not exist (404).
     *
     * @return the id
     */
    public JobId jobId() {
        String raw = ctx.pathParam("jobId");
        try {
            return JobId.of(raw);
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("job", raw, "job '" + raw + "' not found: " + e.getMessage());
        }
    }

    /**
     * The {@code providerId} path parameter; a malformed id is a provider that does not exist (404).
     *
     * @return the id
     */
    public ProviderId providerId() {
        String raw = ctx.pathParam("providerId");
        try {
            return ProviderId.of(raw);
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("provider", raw, "provider '" + raw + "' not found: " + e.getMessage());
        }
    }

    /**
     * A query parameter.
     *
     * @param name the parameter
     * @return its value, or null when absent or empty
     */
    public String query(String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /**
     * Every value of a repeated query parameter.
     *
     * @param name the parameter
     * @return the values, possibly empty
     */
    public List<String> queries(String name) {
        return ctx.queryParams(name);
    }

    /**
     * An integer query parameter within a range.
     *
     * @param name the parameter
     * @param fallback the value when absent
     * @param min the least allowed
     * @param max the most allowed
     * @return the value
     */
    public long longQuery(String name, long fallback, long min, long max) {
        String v = query(name);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw Problem.invalid(name, "format", name + " '" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw Problem.invalid(name, "range", name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /**
     * A boolean query parameter: {@code true} or {@code false}.
     *
     * @param name the parameter
     * @param fallback the value when absent
     * @return the value
     */
    public boolean boolQuery(String name, boolean fallback) {
        String v = query(name);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Problem.invalid(name, "format", name + " must be true or false, got '" + v + "'");
        };
    }

    /**
     * An ISO-8601 instant query parameter.
     *
     * @param name the parameter
     * @return the instant, or null when absent
     */
    public Instant instantQuery(String name) {
        String v = query(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw Problem.invalid(name, "format", name + " '" + v + "' is not an ISO-8601 instant such as 2030-01-01T00:00:00Z");
        }
    }

    /**
     * A request header.
     *
     * @param name the header
     * @return its value, or null
     */
    public String header(String name) {
        return ctx.header(name);
    }

    /**
     * The raw body, read once, at most the server's limit.
     *
     * @return the bytes, possibly empty
     */
    public byte[] body() {
        if (body != null) {
            return body;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge(declared + " bytes declared");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] read = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (read.length > maxBodyBytes) {
                throw tooLarge("more than " + maxBodyBytes + " bytes sent");
            }
            body = read;
            return read;
        } catch (IOException e) {
            throw Problem.invalid("body", "invalid", "the body could not be read: " + e.getMessage());
        }
    }

    private Problem tooLarge(String what) {
        String m = "the body must be at most " + maxBodyBytes + " bytes (" + what + ")";
        return Problem.of(413, Problem.Type.PAYLOAD_TOO_LARGE, m)
                .withErrors(List.of(new Problem.FieldError("body", "max-bytes", m))).with("maxBytes", maxBodyBytes);
    }

    /**
     * The body as a JSON object.
     *
     * @param required whether an empty body is an error; when not, an empty body reads as null
     * @return the object, or null when the body is empty and not required
     */
    public JsonNode jsonObject(boolean required) {
        byte[] bytes = body();
        if (isBlank(bytes)) {
            if (required) {
                throw Problem.invalid("body", "required", "a JSON object body is required");
            }
            return null;
        }
        JsonNode node;
        try {
            node = TREE_READER.readTree(bytes);
        } catch (IOException e) {
            throw e instanceof JsonProcessingException j ? ProblemMapper.fromJson(j)
                    : Problem.invalid("body", "json", "the body is not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw Problem.invalid("body", "type", "the body must be a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        return node;
    }

    /**
     * Reads a JSON object as {@code type} with Cortex's mapper: unknown fields and invalid values are a
     * 400 naming the field.
     *
     * @param node the object
     * @param type the type
     * @param <T> the type
     * @return the value
     */
    public <T> T convert(JsonNode node, Class<T> type) {
        try {
            return CortexJson.mapper().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw ProblemMapper.fromJson(e);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JsonProcessingException j) {
                throw ProblemMapper.fromJson(j);
            }
            throw Problem.invalid("body", "invalid", String.valueOf(e.getMessage()));
        }
    }

    /**
     * Sets a response header.
     *
     * @param name the header
     * @param value its value
     * @return this call
     */
    public Call responseHeader(String name, String value) {
        ctx.header(name, value);
        return this;
    }

    /**
     * Answers with {@code value} as JSON.
     *
     * @param status the status
     * @param value the value, written with Cortex's mapper
     */
    public void json(int status, Object value) {
        byte[] bytes;
        try {
            bytes = CortexJson.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response as JSON: " + e.getOriginalMessage(), e);
        }
        ctx.status(status).contentType("application/json").result(bytes);
    }

    /** Answers 204 with no body. */
    public void noContent() {
        ctx.status(204);
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
