package io.cortex.server;

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
 * The PostgreSQL of the JDBC store's tests, for the server's: {@code CORTEX_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code CORTEX_PG_USER} ({@code postgres}),
 * {@code CORTEX_PG_PASSWORD} (empty), as system properties or environment variables; a fresh schema
 * per test class, dropped after it. Unreachable: the tests are skipped with a loud banner, or fail
 * when {@code CORTEX_REQUIRE_POSTGRES=true} (CI).
 */
final class Postgres implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    final String url = setting("CORTEX_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    final String user = setting("CORTEX_PG_USER", "postgres");
    final String password = setting("CORTEX_PG_PASSWORD", "");
    String schema;
    private TestAbortedException skip;

    private static String setting(String name, String fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            schema = "cortex_s_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            boolean required = Boolean.parseBoolean(setting("CORTEX_REQUIRE_POSTGRES", "false").trim().toLowerCase(Locale.ROOT));
            System.err.println("\n" + "=".repeat(100) + "\n!!! PostgreSQL " + (required ? "IS REQUIRED BUT UNREACHABLE: FAILING"
                    : "UNREACHABLE: SKIPPING the server's PostgreSQL tests") + "\n!!! " + url + " as " + user + ": "
                    + e.getMessage() + "\n" + "=".repeat(100));
            if (required) {
                throw new AssertionFailedError("PostgreSQL is required but unreachable at " + url + ": " + e.getMessage());
            }
            skip = new TestAbortedException("PostgreSQL unreachable at " + url + ": the server's PostgreSQL tests are skipped");
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
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
