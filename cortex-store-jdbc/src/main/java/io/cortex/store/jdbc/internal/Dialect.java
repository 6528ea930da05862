package io.cortex.store.jdbc.internal;

import java.util.List;
import java.util.Locale;

/** What differs between the databases the store runs on. */
public enum Dialect {
    /** H2, embedded: one process owns the file. */
    H2("h2", false, "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)"),
    /** PostgreSQL: several engines may share the database. */
    POSTGRESQL("postgresql", true, "CAST(EXTRACT(EPOCH FROM CLOCK_TIMESTAMP()) * 1000 AS BIGINT)");

    /** The store's tables, for upkeep. */
    public static final List<String> TABLES = List.of("cortex_job", "cortex_job_label", "cortex_job_event",
            "cortex_outbox", "cortex_lease");

    private final String vendor;
    private final boolean sharedByDefault;
    private final String nowMillis;

    Dialect(String vendor, boolean sharedByDefault, String nowMillis) {
        this.vendor = vendor;
        this.sharedByDefault = sharedByDefault;
        this.nowMillis = nowMillis;
    }

    /**
     * The dialect of a JDBC URL.
     *
     * @throws IllegalArgumentException when the URL is neither H2's nor PostgreSQL's
     */
    public static Dialect of(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("jdbcUrl '" + Urls.redact(jdbcUrl)
                + "' is not supported: the store runs on H2 (jdbc:h2:…) and PostgreSQL (jdbc:postgresql:…)");
    }

    /** The folder of this database's migrations, under the store's migration folder. */
    public String vendor() {
        return vendor;
    }

    /** Whether several engines share such a database unless told otherwise. */
    public boolean sharedByDefault() {
        return sharedByDefault;
    }

    /** An SQL expression for the database's time in epoch milliseconds. */
    public String nowMillis() {
        return nowMillis;
    }

    /** An SQL identifier quoted as given (case kept, embedded quotes doubled), as both databases read it. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The statements that refresh statistics and reclaim space. */
    public List<String> optimizeStatements() {
        if (this == H2) {
            return List.of("ANALYZE");
        }
        return TABLES.stream().map(t -> "VACUUM (ANALYZE) " + t).toList();
    }
}
