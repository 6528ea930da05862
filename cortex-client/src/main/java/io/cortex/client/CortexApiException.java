package io.cortex.client;

import io.cortex.client.internal.Preconditions;
import java.util.Optional;

/**
 * Why a call of the {@link CortexClient} failed. Every failure is one of a closed set of subtypes,
 * each carrying the {@linkplain #status() HTTP status} (0 when there was no answer), the server's
 * {@linkplain #problem() problem details}, its {@linkplain #requestId() request id} and how many
 * {@linkplain #attempts() attempts} the call made:
 *
 * <table>
 *   <caption>Failure types</caption>
 *   <tr><th>status</th><th>type</th></tr>
 *   <tr><td>400, 413, 422</td><td>{@link ValidationException} (with the field errors)</td></tr>
 *   <tr><td>401</td><td>{@link AuthenticationException}</td></tr>
 *   <tr><td>403</td><td>{@link PermissionDeniedException}</td></tr>
 *   <tr><td>404</td><td>{@link ResourceNotFoundException}</td></tr>
 *   <tr><td>409; 422 of type {@code idempotency-mismatch}</td><td>{@link ConflictException}</td></tr>
 *   <tr><td>429</td><td>{@link RateLimitedException} (with the {@code Retry-After} wait)</td></tr>
 *   <tr><td>5xx</td><td>{@link ServerException}</td></tr>
 *   <tr><td>none: connection refused or reset, timeout</td><td>{@link CortexIoException}</td></tr>
 *   <tr><td>none: the circuit breaker is open</td><td>{@link CircuitOpenException}</td></tr>
 *   <tr><td>any other status, or an answer the client cannot read</td><td>{@link UnexpectedResponseException}</td></tr>
 * </table>
 *
 * <p>Messages name the method, path, status, the server's words and the request id; never the API
 * key or another header.
 */
public abstract sealed class CortexApiException extends RuntimeException
        permits ValidationException, AuthenticationException, PermissionDeniedException, ResourceNotFoundException,
        ConflictException, RateLimitedException, ServerException, CortexIoException, CircuitOpenException,
        UnexpectedResponseException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorDetails details;

    CortexApiException(ErrorDetails details, String fallbackSummary, Throwable cause) {
        super(message(Preconditions.notNull(details, "details"), fallbackSummary), cause);
        this.details = details;
    }

    private static String message(ErrorDetails d, String fallbackSummary) {
        StringBuilder m = new StringBuilder(d.method()).append(' ').append(d.path()).append(" failed");
        if (d.status() > 0) {
            m.append(" with HTTP ").append(d.status());
        }
        String summary = d.problemDetails().flatMap(Problem::summary).orElse(fallbackSummary);
        if (summary != null && !summary.isBlank()) {
            m.append(": ").append(summary);
        }
        if (d.requestId() != null) {
            m.append(" [request ").append(d.requestId()).append(']');
        }
        if (d.attempts() > 1) {
            m.append(" (after ").append(d.attempts()).append(" attempts)");
        }
        return m.toString();
    }

    /**
     * Everything known about the failure.
     *
     * @return the details
     */
    public ErrorDetails details() {
        return details;
    }

    /**
     * The HTTP method of the call.
     *
     * @return e.g. {@code GET}
     */
    public String method() {
        return details.method();
    }

    /**
     * The path of the call, without query.
     *
     * @return e.g. {@code /api/plugin-core/jobs}
     */
    public String path() {
        return details.path();
    }

    /**
     * The HTTP status of the answer.
     *
     * @return the status, or 0 when no answer came
     */
    public int status() {
        return details.status();
    }

    /**
     * The problem details (RFC 9457) of the answer, if it had them.
     *
     * @return the problem
     */
    public Optional<Problem> problem() {
        return details.problemDetails();
    }

    /**
     * The server's id of the request, to quote to an operator.
     *
     * @return the request id, if the server sent one
     */
    public Optional<String> requestId() {
        return details.requestIdValue();
    }

    /**
     * How many attempts the call made, the failing one included.
     *
     * @return at least 1
     */
    public int attempts() {
        return details.attempts();
    }
}
