package io.cortex.core.store;

import io.cortex.core.util.Preconditions;
import java.time.Instant;

/**
 * Who holds a lease of a shared store, and until when (see {@link JobStore#tryLease}).
 *
 * @param name what the lease guards, e.g. {@value JobStore#OUTBOX_LEASE}
 * @param owner the engine holding it
 * @param expiresAt when it lapses unless renewed, by the store's clock
 */
public record Lease(String name, String owner, Instant expiresAt) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public Lease {
        Preconditions.notNull(name, "name");
        Preconditions.notNull(owner, "owner");
        Preconditions.notNull(expiresAt, "expiresAt");
    }
}
