package io.cortex.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The PostgreSQL a test class runs against: {@code CORTEX_PG_URL} (default
 * {@value #DEFAULT_URL}), {@code CORTEX_PG_USER} (default {@code postgres}), {@code CORTEX_PG_PASSWORD}
 * (default empty), each a system property or an environment variable. Each test class gets a fresh
 * schema with a random name, dropped after the class, so runs never collide.
 *
 * <p>When PostgreSQL is unreachable the class is skipped with a loud banner; when
 * {@code CORTEX_REQUIRE_POSTGRES=true} (CI sets it) it fails instead.
 *
 * <pre>{@code @RegisterExtension static final Postgres PG = new Postgres();}</pre>
 */
public final class Postgres implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String url = setting("CORTEX_PG_URL", DEFAULT_URL);
    private final String user = setting("CORTEX_PG_USER", "postgres");
    private final String password = setting("CORTEX_PG_PASSWORD", "");
    private String schema;
    private TestAbortedException skip;

    static String setting(String name, String fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    static boolean required() {
        return Boolean.parseBoolean(setting("CORTEX_REQUIRE_POSTGRES", "false").trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Fails (when required) or skips (otherwise) the tests that need PostgreSQL, saying so loudly.
     *
     * @throws AssertionFailedError when PostgreSQL is required
     * @throws TestAbortedException otherwise
     */
    static void unavailable(String where, String why, boolean required, java.io.PrintStream out) {
        String banner = "\n" + "=".repeat(100) + "\n"
                + (required ? "!!! PostgreSQL IS REQUIRED (CORTEX_REQUIRE_POSTGRES=true) BUT UNREACHABLE: FAILING"
                        : "!!! PostgreSQL UNREACHABLE: SKIPPING THE POSTGRESQL TESTS (H2 tests still run)") + "\n"
                + "!!! " + where + ": " + why + "\n"
                + "!!! set CORTEX_PG_URL / CORTEX_PG_USER / CORTEX_PG_PASSWORD, or start PostgreSQL on 127.0.0.1:5432\n"
                + "=".repeat(100);
        out.println(banner);
        if (required) {
            throw new AssertionFailedError("PostgreSQL is required but unreachable at " + where + ": " + why);
        }
        throw new TestAbortedException("PostgreSQL unreachable at " + where + " (" + why + "): PostgreSQL tests skipped");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            schema = "cortex_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
            }
        } catch (SQLException e) {
            try {
                unavailable(url + " as " + user, e.getMessage(), required(), System.err);
            } catch (TestAbortedException aborted) {
                skip = aborted; // each test then reports itself skipped
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skip != null) {
            throw skip;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (schema == null) {
            return;
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        schema = null;
    }

    /** The class's schema. */
    public String schema() {
        return schema;
    }

    /** The JDBC URL. */
    public String url() {
        return url;
    }

    /** The user. */
    public String user() {
        return user;
    }

    /** The password. */
    public String password() {
        return password;
    }

    /** A new builder for a store in the class's schema. */
    public JdbcJobStore.Builder store() {
        return JdbcJobStore.builder().jdbcUrl(url).credentials(user, password).schema(schema);
    }

    /** A direct connection with the class's schema as search path. */
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        if (schema != null) {
            c.setSchema(schema);
        }
        return c;
    }

    /** Runs statements on a direct connection. */
    public void execute(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
