package io.cortex.core.provider;

/** A provider's health as the engine sees it. */
public enum ProviderStatus {
    /** Healthy: placement uses it. */
    ONLINE,
    /** Answers but reports trouble: placement uses it only when no ONLINE provider fits. */
    DEGRADED,
    /** Does not answer: placement never uses it, and jobs on it are moved off. */
    OFFLINE;

    /** The lower-case name used in JSON and in the operator guide, e.g. {@code "offline"}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
