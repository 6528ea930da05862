package io.cortex.core.store;

/**
 * A connection pool's counts at one moment.
 *
 * @param active connections in use
 * @param idle connections waiting in the pool
 * @param total open connections (active + idle)
 * @param waiting threads waiting for a connection: above zero for long, the pool is too small or
 *     connections leak
 * @param maximum the pool size
 * @param minimumIdle idle connections the pool keeps open
 */
public record DatabaseConnections(int active, int idle, int total, int waiting, int maximum, int minimumIdle) {}
