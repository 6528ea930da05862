package io.cortex.store.jdbc;

import io.cortex.core.store.InMemoryJobStore;
import io.cortex.core.store.JobStore;

/** The reference store passes the contract the JDBC store is held to. */
class InMemoryJobStoreContractTest extends JobStoreContract {
    @Override
    protected JobStore emptyStore() {
        return new InMemoryJobStore(10_000, java.time.Duration.ofDays(1), java.time.Clock.systemUTC());
    }
}
