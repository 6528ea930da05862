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

    /** How long H2 keeps the chunks a commit made obsolete before it reuses their space, unless the URL says. */
    public static final int H2_RETENTION_MILLIS = 2_000;

    /**
     * An H2 URL made long-lived.
     *
     * <p>A file database keeps H2's background writer ({@code WRITE_DELAY} left at H2's default): it
     * rewrites sparse chunks and moves chunks to shrink the file, as H2 intends. Durability does not
     * rest on it: the store's group commit forces each of its transactions into the file before it
     * returns ({@code CHECKPOINT}). H2 reuses the space of obsolete chunks after {@value
     * #H2_RETENTION_MILLIS} ms ({@code RETENTION_TIME}) instead of its default 45 s, after which a
     * busy store's file would hold 45 s of commits; 0 would let H2 overwrite chunks a concurrent read
     * may still walk (H2's documentation warns against it, and it showed as "Chunk not found"
     * with several stores on one file). H2 does not sync each commit: a killed process keeps every
     * acknowledged commit, a crashed operating system may lose the last ones (PostgreSQL is the choice
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
        return lower.contains(";retention_time=") ? url : url + ";RETENTION_TIME=" + H2_RETENTION_MILLIS;
    }
}
