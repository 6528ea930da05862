/**
 * A durable {@link io.cortex.core.store.JobStore}: {@link io.cortex.store.jdbc.JdbcJobStore} on H2 (an
 * embedded file, one process) or PostgreSQL (several engines sharing one database), with its schema
 * kept by Flyway migrations and its pool by HikariCP. It is also the operator's
 * {@link io.cortex.core.store.DatabaseAdmin}.
 */
package io.cortex.store.jdbc;
