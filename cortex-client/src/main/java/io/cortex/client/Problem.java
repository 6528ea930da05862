package io.cortex.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The problem details (RFC 9457) of an error answer, as far as the server sent them.
 *
 * @param type the problem type URI, e.g. {@code https://cortex.io/problems/validation}, or null
 * @param title a short summary, or null
 * @param status the HTTP status the problem states (0 when absent)
 * @param detail what went wrong in this occurrence, or null
 * @param instance the path of the request, or null
 * @param requestId the server's id of the request, or null
 * @param errors the invalid fields of a validation problem, else empty
 * @param extensions any other member of the problem object, by name
 */
public record Problem(String type, String title, int status, String detail, String instance, String requestId,
        List<FieldError> errors, Map<String, Object> extensions) {
    /**
     * Copies the lists and maps; nulls become empty.
     *
     * @param type the problem type URI, e.g. {@code https://cortex.io/problems/validation}, or null
     * @param title a short summary, or null
     * @param status the HTTP status the problem states (0 when absent)
     * @param detail what went wrong in this occurrence, or null
     * @param instance the path of the request, or null
     * @param requestId the server's id of the request, or null
     * @param errors the invalid fields of a validation problem, else empty
     * @param extensions any other member of the problem object, by name
     */
    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /**
     * The stable last segment of the type, e.g. {@code validation}, {@code not-found},
     * {@code idempotency-mismatch}; empty when there is no type.
     *
     * @return the type suffix, or {@code ""}
     */
    public String typeSuffix() {
        if (type == null || type.isBlank() || "about:blank".equals(type)) {
            return "";
        }
        String t = type.endsWith("/") ? type.substring(0, type.length() - 1) : type;
        return t.substring(t.lastIndexOf('/') + 1);
    }

    /**
     * The most specific human text: the detail, else the title.
     *
     * @return the detail or title, if any
     */
    public Optional<String> summary() {
        if (detail != null && !detail.isBlank()) {
            return Optional.of(detail);
        }
        return Optional.ofNullable(title).filter(t -> !t.isBlank());
    }
}
