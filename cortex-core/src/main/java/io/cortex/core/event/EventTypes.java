package io.cortex.core.event;

import java.util.List;

/** The names of the events Cortex emits, as used by listeners and webhook subscriptions. */
public final class EventTypes {
    private EventTypes() {}

    /** A job moved from one state to another. */
    public static final String JOB_STATUS_CHANGED = "job.status.changed";
    /** A job changed without a state change: submitted, accepted by its provider, waiting, resources updated. */
    public static final String JOB_UPDATED = "job.updated";
    /** A provider's status (ONLINE, DEGRADED, OFFLINE) changed. */
    public static final String PROVIDER_STATUS_CHANGED = "provider.status.changed";
    /** A provider's wallet cannot pay for the jobs waiting for it. */
    public static final String PROVIDER_WALLET_LOW = "provider.wallet.low";
    /** A provider's credentials were refreshed or replaced. */
    public static final String PROVIDER_CREDENTIALS_UPDATED = "provider.credentials.updated";
    /** A webhook endpoint was disabled after sustained failure. */
    public static final String WEBHOOK_ENDPOINT_DISABLED = "webhook.endpoint.disabled";

    /** Every type above. */
    public static final List<String> ALL = List.of(JOB_STATUS_CHANGED, JOB_UPDATED, PROVIDER_STATUS_CHANGED,
            PROVIDER_WALLET_LOW, PROVIDER_CREDENTIALS_UPDATED, WEBHOOK_ENDPOINT_DISABLED);
}
