package io.cortex.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.cortex.core.NotFoundException;
import io.cortex.core.job.IllegalJobTransitionException;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.store.StoreException;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what a handler throws into the {@link Problem} to answer with. */
public final class ProblemMapper {
    private static final Pattern CANNOT_DESERIALIZE =
            Pattern.compile("(?s)^Cannot (?:deserialize|construct instance of) .*?(?:from [A-Za-z ]+?(?: \".*?\"| value \\S+)?)?: (.+)$");
    private static final Pattern INVALID_FIELD = Pattern.compile("(?s)^Invalid field \"[^\"]*\" of \\w+: (.+)$");
    private static final Pattern INVALID_TYPE = Pattern.compile("(?s)^Invalid \\w+: (.+)$");
    private static final Pattern MISSING = Pattern.compile("^Missing required field \"([^\"]*)\".*");
    private static final Pattern QUALIFIED = Pattern.compile("`(?:[A-Za-z_$][\\w$]*\\.)*([A-Za-z_$][\\w$]*)`");

    private ProblemMapper() {}

    /**
     * The problem for {@code e}.
     *
     * @param e what a handler threw
     * @return the problem; a 500 for anything unexpected
     */
    public static Problem from(Throwable e) {
        if (e instanceof Problem p) {
            return p;
        }
        if (e instanceof IllegalJobTransitionException t) {
            return Problem.of(409, Problem.Type.CONFLICT, t.getMessage()).with("jobId", t.jobId().value())
                    .with("from", t.from().wireName()).with("to", t.to().wireName());
        }
        if (e instanceof NotFoundException n) {
            return Problem.notFound(n.kind(), n.id(), n.getMessage());
        }
        if (e instanceof NoSuchElementException n) {
            return Problem.of(404, Problem.Type.NOT_FOUND, String.valueOf(n.getMessage()));
        }
        if (e instanceof JsonProcessingException j) {
            return fromJson(j);
        }
        if (e instanceof ProviderException pe) {
            return Problem.of(503, Problem.Type.UNAVAILABLE, pe.getMessage()).with("reason", pe.reason().name());
        }
        if (e instanceof StoreException se) {
            return Problem.of(503, Problem.Type.UNAVAILABLE, "the store failed: " + se.getMessage()).causedBy(se);
        }
        if (e instanceof UnsupportedOperationException u) {
            return Problem.of(501, Problem.Type.UNSUPPORTED, String.valueOf(u.getMessage()));
        }
        if (e instanceof IllegalStateException s) {
            String m = String.valueOf(s.getMessage());
            if (m.contains("engine is closed")) {
                return Problem.of(503, Problem.Type.UNAVAILABLE, m);
            }
            return Problem.of(409, Problem.Type.CONFLICT, m);
        }
        if (e instanceof IllegalArgumentException a) {
            return Problem.of(400, Problem.Type.VALIDATION, String.valueOf(a.getMessage()));
        }
        if (e instanceof HttpResponseException h) {
            int status = h.getStatus();
            Problem.Type type = switch (status) {
                case 400 -> Problem.Type.VALIDATION;
                case 401 -> Problem.Type.UNAUTHORIZED;
                case 403 -> Problem.Type.FORBIDDEN;
                case 404, 405 -> Problem.Type.NOT_FOUND;
                case 413 -> Problem.Type.PAYLOAD_TOO_LARGE;
                case 503 -> Problem.Type.UNAVAILABLE;
                default -> status >= 500 ? Problem.Type.INTERNAL : Problem.Type.VALIDATION;
            };
            return Problem.of(status, type, String.valueOf(h.getMessage()));
        }
        return Problem.of(500, Problem.Type.INTERNAL, "an unexpected error occurred (" + e.getClass().getSimpleName()
                + "); the server log has the details under this request id").causedBy(e);
    }

    /**
     * The 400 problem for a body Jackson could not read, naming the field and the rule.
     *
     * @param e the Jackson exception
     * @return the problem
     */
    public static Problem fromJson(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return Problem.invalid("body", "json", "the body is not valid JSON: " + simple(e.getOriginalMessage()) + where);
        }
        String field = path(m.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? ""
                    : "; known fields: " + new TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList());
            return Problem.invalid(field, "unknown-field", "unknown field '" + field + "'" + known);
        }
        String original = String.valueOf(m.getOriginalMessage());
        Matcher missing = MISSING.matcher(original);
        if (missing.matches()) {
            return Problem.invalid(field.isEmpty() ? missing.group(1) : field, "required", field + " is required");
        }
        if (field.isEmpty()) {
            field = "body";
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            return Problem.invalid(field, "invalid", field + ": " + strip(String.valueOf(cause.getMessage())));
        }
        if (e instanceof InvalidFormatException) {
            return Problem.invalid(field, "format", field + ": " + strip(original));
        }
        Matcher invalidField = INVALID_FIELD.matcher(original);
        if (invalidField.matches()) {
            return Problem.invalid(field, "invalid", simple(invalidField.group(1)));
        }
        if (e instanceof MismatchedInputException) {
            return Problem.invalid(field, "type", field + " has the wrong type: " + strip(original));
        }
        return Problem.invalid(field, "invalid", field + ": " + strip(original));
    }

    private static String strip(String message) {
        Matcher c = CANNOT_DESERIALIZE.matcher(message);
        String m = c.matches() ? c.group(1) : message;
        Matcher t = INVALID_TYPE.matcher(m);
        if (t.matches()) {
            m = t.group(1);
        }
        return simple(m);
    }

    private static String simple(String message) {
        return message == null ? "" : QUALIFIED.matcher(message).replaceAll("$1");
    }

    /**
     * A JSON path such as {@code resources.memory} or {@code command[0]}.
     *
     * @param path Jackson's references
     * @return the path, empty at the root
     */
    static String path(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
