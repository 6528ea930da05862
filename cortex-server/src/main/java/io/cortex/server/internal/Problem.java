package io.cortex.server.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem to answer with: thrown anywhere in a handler, written by {@link HttpApi} as
 * {@code application/problem+json} with the request id and path added.
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Where the problem type URIs live; a type is this base plus its slug. */
    public static final String TYPE_BASE = "https://cortex.io/problems/";

    /** The stable problem types of docs/rest-api.md. */
    public enum Type {
        /** 400 or 422: the request is malformed or breaks a rule. */
        VALIDATION("validation", "Invalid request"),
        /** 401: no valid API key. */
        UNAUTHORIZED("unauthorized", "Unauthorized"),
        /** 403: the key lacks the scope. */
        FORBIDDEN("forbidden", "Forbidden"),
        /** 404: no such job, provider, service, webhook or path. */
        NOT_FOUND("not-found", "Not found"),
        /** 409: illegal transition, version clash, or a redelivery to a disabled webhook. */
        CONFLICT("conflict", "Conflict"),
        /** 422: an idempotency key reused with another body. */
        IDEMPOTENCY_MISMATCH("idempotency-mismatch", "Idempotency key reused with another request"),
        /** 429: the key's bucket is empty. */
        RATE_LIMITED("rate-limited", "Too many requests"),
        /** 413: the body is too large. */
        PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large"),
        /** 501: an ability the provider lacks, or a path an embedded engine does not serve. */
        UNSUPPORTED("unsupported", "Not supported"),
        /** 500: a bug. */
        INTERNAL("internal", "Internal error"),
        /** 503: the engine or a provider cannot answer now. */
        UNAVAILABLE("unavailable", "Service unavailable");

        private final String slug;
        private final String title;

        Type(String slug, String title) {
            this.slug = slug;
            this.title = title;
        }

        /**
         * The full type URI.
         *
         * @return e.g. {@code https://cortex.io/problems/validation}
         */
        public String uri() {
            return TYPE_BASE + slug;
        }

        /**
         * The short, stable name.
         *
         * @return e.g. {@code validation}
         */
        public String slug() {
            return slug;
        }

        /**
         * The human title.
         *
         * @return the title
         */
        public String title() {
            return title;
        }
    }

    /**
     * One broken rule of a request.
     *
     * @param field where: a JSON path such as {@code resources.memory}, a query parameter, a header
     *     name, or {@code body}
     * @param rule which rule, a short stable word: {@code required}, {@code unknown-field},
     *     {@code format}, {@code type}, {@code range}, {@code json}, {@code max-bytes}, {@code invalid}
     * @param message what is wrong, in words
     */
    public record FieldError(String field, String rule, String message) {}

    private final int status;
    private final Type type;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    private Problem(int status, Type type, String detail, List<FieldError> errors, Map<String, Object> extensions,
            Map<String, String> headers, Throwable cause) {
        super(detail, cause, false, cause != null);
        this.status = status;
        this.type = Objects.requireNonNull(type, "type cannot be null");
        this.errors = List.copyOf(errors);
        this.extensions = new LinkedHashMap<>(extensions);
        this.headers = new LinkedHashMap<>(headers);
    }

    /**
     * A problem without field errors.
     *
     * @param status the HTTP status
     * @param type the type
     * @param detail what happened, in words
     * @return the problem
     */
    public static Problem of(int status, Type type, String detail) {
        return new Problem(status, type, detail, List.of(), Map.of(), Map.of(), null);
    }

    /**
     * A 400 validation problem for one field.
     *
     * @param field the field
     * @param rule the rule
     * @param message what is wrong
     * @return the problem
     */
    public static Problem invalid(String field, String rule, String message) {
        return new Problem(400, Type.VALIDATION, message, List.of(new FieldError(field, rule, message)), Map.of(), Map.of(),
                null);
    }

    /**
     * A 404 problem.
     *
     * @param kind {@code job}, {@code provider}, {@code service}, {@code webhook}, {@code delivery}
     * @param id the id looked for
     * @param detail the words
     * @return the problem
     */
    public static Problem notFound(String kind, String id, String detail) {
        return of(404, Type.NOT_FOUND, detail).with("resource", kind).with("id", id);
    }

    /**
     * A 501 problem for an ability a provider lacks.
     *
     * @param ability {@code wallet}, {@code credentials}, {@code endpoints}, {@code logs}
     * @param detail the words
     * @return the problem
     */
    public static Problem unsupported(String ability, String detail) {
        return of(501, Type.UNSUPPORTED, detail).with("ability", ability);
    }

    /**
     * This problem with an extension member.
     *
     * @param name the member name
     * @param value its value
     * @return a copy
     */
    public Problem with(String name, Object value) {
        Map<String, Object> ext = new LinkedHashMap<>(extensions);
        ext.put(name, value);
        return new Problem(status, type, getMessage(), errors, ext, headers, getCause());
    }

    /**
     * This problem with a response header.
     *
     * @param name the header
     * @param value its value
     * @return a copy
     */
    public Problem header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Problem(status, type, getMessage(), errors, extensions, h, getCause());
    }

    /**
     * This problem with another status (e.g. 422 for a validation problem).
     *
     * @param newStatus the status
     * @return a copy
     */
    public Problem status(int newStatus) {
        return new Problem(newStatus, type, getMessage(), errors, extensions, headers, getCause());
    }

    /**
     * This problem with a cause, logged for 5xx.
     *
     * @param cause the cause
     * @return a copy
     */
    public Problem causedBy(Throwable cause) {
        return new Problem(status, type, getMessage(), errors, extensions, headers, cause);
    }

    /**
     * This problem with more field errors.
     *
     * @param more the errors
     * @return a copy
     */
    public Problem withErrors(List<FieldError> more) {
        List<FieldError> all = new ArrayList<>(errors);
        all.addAll(more);
        return new Problem(status, type, getMessage(), all, extensions, headers, getCause());
    }

    /**
     * The HTTP status.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * The type.
     *
     * @return the type
     */
    public Type type() {
        return type;
    }

    /**
     * The detail.
     *
     * @return the words
     */
    public String detail() {
        return getMessage();
    }

    /**
     * The field errors.
     *
     * @return the errors, possibly empty
     */
    public List<FieldError> errors() {
        return errors;
    }

    /**
     * The extension members.
     *
     * @return the members, in insertion order
     */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /**
     * Headers to send with the problem.
     *
     * @return the headers
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * The problem as the JSON members of its body: the standard members, {@code requestId}, the field
     * errors and the extension members.
     *
     * @param instance the request path
     * @param requestId the request id
     * @return the members in order
     */
    public Map<String, Object> body(String instance, String requestId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type.uri());
        out.put("title", type.title());
        out.put("status", status);
        out.put("detail", getMessage());
        out.put("instance", instance);
        out.put("requestId", requestId);
        if (!errors.isEmpty()) {
            out.put("errors", errors);
        }
        extensions.forEach(out::putIfAbsent);
        return out;
    }
}
