package io.cortex.store.jdbc.internal;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Database errors made fit for logs and for the exceptions callers log: a database may quote the
 * rows a statement touched in its messages (H2 quotes a locked row whole; a job's document holds its
 * environment, which may hold secrets). The copy keeps each message of the chain, its SQLState and
 * its stack trace, with row values masked and long messages cut.
 */
public final class Errors {
    /** A message longer than this is cut: no statement or row of the store needs more to be recognised. */
    static final int MAX_MESSAGE = 400;
    private static final Pattern H2_ROW = Pattern.compile("(?s)and value \\(.*?\\) (is locked|\\d+/\\d+)");
    private static final Pattern QUOTED_DOCUMENT = Pattern.compile("(?s)'\\{.*?\\}'");

    private Errors() {}

    /** A copy of {@code e} and its causes without row values; null for null. */
    public static SQLException clean(SQLException e) {
        if (e == null) {
            return null;
        }
        SQLException copy = new SQLException(mask(e.getMessage()), e.getSQLState(), e.getErrorCode(), cleanCause(e.getCause()));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    private static Throwable cleanCause(Throwable t) {
        if (t == null) {
            return null;
        }
        Exception copy = new Exception("[" + t.getClass().getName() + "] " + mask(t.getMessage()), cleanCause(t.getCause()));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** The message with quoted rows and documents masked, cut to a readable length. */
    public static String mask(String message) {
        if (message == null) {
            return null;
        }
        String out = H2_ROW.matcher(message).replaceAll("and value (…) $1");
        out = QUOTED_DOCUMENT.matcher(out).replaceAll("'{…}'");
        return out.length() > MAX_MESSAGE ? out.substring(0, MAX_MESSAGE) + "…" : out;
    }
}
