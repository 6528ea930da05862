package io.cortex.client;

import io.cortex.client.internal.Preconditions;
import java.util.Optional;

/**
 * What a failed call was and what the server said: carried by every {@link CortexApiException}.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the request path, e.g. {@code /api/plugin-core/jobs/job_01h…} (never the query, never a header)
 * @param status the HTTP status of the answer, 0 when there was none (I/O error, open circuit)
 * @param problem the problem details of the answer, or null when it had none
 * @param requestId the server's request id ({@code X-Request-Id} or the problem's {@code requestId}), or null
 * @param attempts how many attempts the call had made when this failure happened, from 1
 */
public record ErrorDetails(String method, String path, int status, Problem problem, String requestId, int attempts) {
    /**
     * Validates.
     *
     * @param method the HTTP method, e.g. {@code POST}
     * @param path the request path, e.g. {@code /api/plugin-core/jobs/job_01h…} (never the query, never a header)
     * @param status the HTTP status of the answer, 0 when there was none (I/O error, open circuit)
     * @param problem the problem details of the answer, or null when it had none
     * @param requestId the server's request id ({@code X-Request-Id} or the problem's {@code requestId}), or null
     * @param attempts how many attempts the call had made when this failure happened, from 1
     * @throws NullPointerException when method or path is null
     * @throws IllegalArgumentException when attempts is below 1 or status negative
     */
    public ErrorDetails {
        Preconditions.notNull(method, "method");
        Preconditions.notNull(path, "path");
        Preconditions.argument(attempts >= 1, "attempts must be at least 1, got %d", attempts);
        Preconditions.argument(status >= 0, "status must not be negative, got %d", status);
    }

    /**
     * The problem details, if the answer had them.
     *
     * @return the problem
     */
    public Optional<Problem> problemDetails() {
        return Optional.ofNullable(problem);
    }

    /**
     * The server's request id, if known.
     *
     * @return the id
     */
    public Optional<String> requestIdValue() {
        return Optional.ofNullable(requestId);
    }
}
