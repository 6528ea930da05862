package io.cortex.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.client.AuthenticationException;
import io.cortex.client.ConflictException;
import io.cortex.client.CortexApiException;
import io.cortex.client.ErrorDetails;
import io.cortex.client.FieldError;
import io.cortex.client.PermissionDeniedException;
import io.cortex.client.Problem;
import io.cortex.client.RateLimitedException;
import io.cortex.client.RateLimits;
import io.cortex.client.ResourceNotFoundException;
import io.cortex.client.ServerException;
import io.cortex.client.UnexpectedResponseException;
import io.cortex.client.ValidationException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps an error answer to its typed exception; reads problem details and rate-limit headers. */
public final class Errors {
    /** The problem members read into {@link Problem}'s components; the rest are extensions. */
    private static final Set<String> PROBLEM_MEMBERS = Set.of("type", "title", "status", "detail", "instance",
            "requestId", "errors");

    private Errors() {}

    /**
     * The exception for a non-2xx answer.
     *
     * @param mapper reads the problem body
     * @param method the call's method
     * @param path the call's path
     * @param result the answer
     * @param attempt the attempt it answered, from 1
     * @param now the current time, for an HTTP-date {@code Retry-After}
     * @return the typed exception
     */
    public static CortexApiException fromResponse(ObjectMapper mapper, String method, String path, HttpResult result,
            int attempt, Instant now) {
        int status = result.status();
        Problem problem = problem(mapper, result.body());
        String requestId = problem != null && problem.requestId() != null ? problem.requestId()
                : result.headers().get("X-Request-Id");
        ErrorDetails details = new ErrorDetails(method, path, status, problem, requestId, attempt);
        String type = problem == null ? "" : problem.typeSuffix();
        switch (status) {
            case 400:
            case 413:
                return new ValidationException(details);
            case 401:
                return new AuthenticationException(details);
            case 403:
                return new PermissionDeniedException(details);
            case 404:
                return new ResourceNotFoundException(details);
            case 409:
                return new ConflictException(details);
            case 422:
                return "idempotency-mismatch".equals(type) ? new ConflictException(details)
                        : new ValidationException(details);
            case 429:
                return new RateLimitedException(details, retryAfter(result, now), rateLimits(result));
            default:
                if (status >= 500 && status <= 599) {
                    return new ServerException(details, status == 503 ? retryAfter(result, now) : null);
                }
                return new UnexpectedResponseException(details,
                        "unexpected HTTP status " + status + " (is the base URL a Cortex server?)", null);
        }
    }

    /**
     * The exception for a 2xx answer whose body cannot be read.
     *
     * @param method the call's method
     * @param path the call's path
     * @param result the answer
     * @param attempt the attempt it answered, from 1
     * @param cause the parse error
     * @return the exception
     */
    public static UnexpectedResponseException unreadable(String method, String path, HttpResult result, int attempt,
            Exception cause) {
        String why = cause instanceof JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage();
        ErrorDetails details = new ErrorDetails(method, path, result.status(), null,
                result.headers().get("X-Request-Id"), attempt);
        return new UnexpectedResponseException(details, "unreadable response body: " + why, cause);
    }

    private static Duration retryAfter(HttpResult result, Instant now) {
        return RetryAfter.parse(result.headers().get("Retry-After"), now).orElse(null);
    }

    /**
     * The {@code RateLimit-*} headers of an answer.
     *
     * @param result the answer
     * @return the limits, or null when a header is missing or not a number
     */
    static RateLimits rateLimits(HttpResult result) {
        try {
            String limit = result.headers().get("RateLimit-Limit");
            String remaining = result.headers().get("RateLimit-Remaining");
            String reset = result.headers().get("RateLimit-Reset");
            if (limit == null || remaining == null || reset == null) {
                return null;
            }
            return new RateLimits(Long.parseLong(limit.trim()), Long.parseLong(remaining.trim()),
                    Long.parseLong(reset.trim()), 0);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Reads problem details leniently: any JSON object is accepted, members of the wrong type are
     * skipped.
     *
     * @param mapper the mapper
     * @param body the body
     * @return the problem, or null when the body is not a JSON object
     */
    static Problem problem(ObjectMapper mapper, byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode list = node.get("errors");
        if (list != null && list.isArray()) {
            for (JsonNode e : list) {
                String field = text(e.get("field"));
                String message = text(e.get("message"));
                if (field != null || message != null) {
                    errors.add(new FieldError(field == null ? "" : field, text(e.get("rule")),
                            message == null ? "" : message));
                }
            }
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!PROBLEM_MEMBERS.contains(member.getKey()) && !member.getValue().isNull()) {
                extensions.put(member.getKey(), mapper.convertValue(member.getValue(), Object.class));
            }
        }
        JsonNode status = node.get("status");
        return new Problem(text(node.get("type")), text(node.get("title")),
                status != null && status.canConvertToInt() ? status.asInt() : 0, text(node.get("detail")),
                text(node.get("instance")), text(node.get("requestId")), errors, extensions);
    }

    private static String text(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
