/**
 * Implementation of the JDBC store. Internal: not part of the public API, may change in any
 * release; do not import it.
 */
package io.cortex.store.jdbc.internal;
