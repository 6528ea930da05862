package io.cortex.core.provider;

import java.net.URI;
import java.util.List;

/** Optional ability: a provider reached at endpoints an operator may change. */
public interface EndpointManager {
    /** The endpoints in use. */
    List<URI> endpoints();

    /**
     * Replaces the endpoints.
     *
     * @throws IllegalArgumentException when the list is empty or an endpoint is not absolute
     */
    void updateEndpoints(List<URI> endpoints);
}
