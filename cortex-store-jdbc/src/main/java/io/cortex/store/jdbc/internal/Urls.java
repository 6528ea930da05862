package io.cortex.store.jdbc.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/** JDBC URL helpers. */
public final class Urls {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password|pwd)=[^;&]*");
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:]+):[^/@]*@");

    private Urls() {}

    /** The URL with any password in it replaced by {@code ***}. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String out = PASSWORD.matcher(url).replaceAll("$1=***");
        return USER_INFO.matcher(out).replaceAll("//$1:***@");
    }

    /**
     * An H2 URL made durable and long-lived.
     *
     * <p>A file database commits to disk at every transaction ({@code WRITE_DELAY=0}: H2 otherwise
     * writes up to a second later, and a killed process would lose commits it had acknowledged). H2's
     * background writer, which also frees the space of old chunks, does not run then; space is reused
     * at once instead ({@code RETENTION_TIME=0}), or the file grows by every commit. The pages of the
     * last commit are never overwritten, so a killed process still finds its last commit; what H2
     * does not promise without its retention time is a file intact after the operating system itself
     * crashes with writes unflushed (H2 does not sync each commit anyway: PostgreSQL is the choice
     * for that).
     *
     * <p>An in-memory database outlives its last connection ({@code DB_CLOSE_DELAY=-1}). A setting the
     * URL names already is kept as given.
     */
    public static String h2(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:mem:")) {
            return lower.contains(";db_close_delay=") ? url : url + ";DB_CLOSE_DELAY=-1";
        }
        String out = lower.contains(";write_delay=") ? url : url + ";WRITE_DELAY=0";
        return lower.contains(";retention_time=") ? out : out + ";RETENTION_TIME=0";
    }
}
