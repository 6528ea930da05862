package io.cortex.core.job;

/**
 * Why something happened to a job or a provider, as a stable code an operator can search for.
 * Each code has a plain-words explanation and the action that usually fixes it.
 */
public enum ReasonCode {
    /** The job was submitted. */
    SUBMITTED("the job was submitted", "none"),
    /** A provider accepted the job. */
    PLACED("a provider accepted the job", "none"),
    /** The provider started the job. */
    STARTED("the provider started the job", "none"),
    /** The job finished with success. */
    COMPLETED("the job finished with success", "none"),
    /** The job's own process failed (non-zero exit, crash). */
    JOB_FAILED("the job's workload failed on the provider", "read the job's logs"),
    /** No provider has room for the job now. */
    NO_CAPACITY("no provider has free capacity for the job right now", "wait, add capacity, or lower the request"),
    /** The wallet paying a provider holds less than the job's cost. */
    INSUFFICIENT_FUNDS("the provider's wallet holds less than the job's estimated cost", "top up the wallet: POST /api/plugin-core/providers/{id}/wallet/topup"),
    /** The provider does not answer. */
    PROVIDER_OFFLINE("the provider is offline", "check the provider's endpoints and status page; update endpoints or refresh credentials"),
    /** The provider answers but reports trouble. */
    PROVIDER_DEGRADED("the provider is degraded", "prefer another provider until it recovers"),
    /** The provider refused the credentials. */
    AUTH_FAILED("the provider refused Cortex's credentials", "refresh or update the provider's credentials"),
    /** The image could not be pulled. */
    IMAGE_NOT_FOUND("the container image was not found or access was denied", "check the image name, tag and registry access"),
    /** The image's registry or architecture is not accepted by the provider. */
    IMAGE_REJECTED("the provider does not accept this image (registry or architecture)", "use an image from a registry the provider accepts"),
    /** The request is larger than what a provider can ever run. */
    RESOURCES_EXCEED_CAPABILITIES("the requested resources exceed the provider's capabilities", "lower cpu / memory / storage / gpus: PUT /api/plugin-core/jobs/{id}"),
    /** The job's price cap is below the provider's price. */
    PRICE_EXCEEDS_MAX("the provider's price is above the job's maximum price", "raise the job's max price or allow cheaper providers"),
    /** The job's constraints exclude the provider. */
    EXCLUDED_BY_CONSTRAINTS("the job's provider constraints exclude this provider", "change the job's allow / deny list"),
    /** The provider failed this job in an earlier attempt. */
    FAILED_EARLIER_ATTEMPT("this provider already failed the job in an earlier attempt", "none; Cortex tries other providers first"),
    /** The job sat on a provider without starting for longer than the pending timeout. */
    STUCK_PENDING("the provider accepted the job but did not start it within the pending timeout", "none; Cortex fails over to another provider"),
    /** The provider rejected the job. */
    PROVIDER_REJECTED("the provider rejected the job", "read the provider's message; adjust the job or resubmit elsewhere"),
    /** A call to the provider took longer than allowed. */
    PROVIDER_TIMEOUT("a call to the provider timed out", "check the provider's health"),
    /** A provider call failed for a reason Cortex could not classify. */
    PROVIDER_ERROR("the provider returned an unexpected error", "read the provider's message and logs"),
    /** The provider lost the job while it ran. */
    PROVIDER_LOST_JOB("the provider lost the job while it ran", "none; Cortex reruns it if the job allows"),
    /** The job ran longer than its max run time. */
    MAX_RUN_TIME_EXCEEDED("the job ran longer than its max run time", "raise the max run time or speed up the job"),
    /** The job used up its attempts. */
    RETRY_BUDGET_EXHAUSTED("the job used up its attempts", "resubmit it after fixing the cause"),
    /** The job's spend across attempts reached its max price. */
    SPEND_LIMIT_REACHED("the job's spend across attempts reached its maximum price", "raise the max price and resubmit"),
    /** No provider is configured at all, or none is left. */
    NO_PROVIDER("no provider is configured or none remains eligible", "add a provider"),
    /** Someone asked for it (cancel, resubmit, update). */
    USER_REQUEST("requested by a user", "none"),
    /** The job's resources were changed while pending. */
    RESOURCES_UPDATED("the job's resources were changed", "none"),
    /** A provider's health changed. */
    HEALTH_CHANGED("the provider's health changed", "none"),
    /** Credentials were refreshed or replaced. */
    CREDENTIALS_UPDATED("the provider's credentials were refreshed or replaced", "none");

    private final String description;
    private final String suggestedAction;

    ReasonCode(String description, String suggestedAction) {
        this.description = description;
        this.suggestedAction = suggestedAction;
    }

    /** What the code means, in plain words. */
    public String description() {
        return description;
    }

    /** What usually fixes it; {@code "none"} when nothing is to be done. */
    public String suggestedAction() {
        return suggestedAction;
    }

    /**
     * False for outcomes where the provider never took the job (no capacity, no funds, offline,
     * credentials refused, timed out before answering): such an attempt is not charged to the
     * job's retry budget.
     */
    public boolean chargesAttempt() {
        return switch (this) {
            case NO_CAPACITY, INSUFFICIENT_FUNDS, PROVIDER_OFFLINE, AUTH_FAILED, PROVIDER_TIMEOUT, USER_REQUEST -> false;
            default -> true;
        };
    }

    /** True when trying the same job on another provider may succeed. */
    public boolean isRetryableElsewhere() {
        return switch (this) {
            case NO_CAPACITY, INSUFFICIENT_FUNDS, PROVIDER_OFFLINE, PROVIDER_DEGRADED, AUTH_FAILED, STUCK_PENDING,
                    PROVIDER_REJECTED, PROVIDER_TIMEOUT, PROVIDER_ERROR, PROVIDER_LOST_JOB, IMAGE_REJECTED,
                    RESOURCES_EXCEED_CAPABILITIES, PRICE_EXCEEDS_MAX -> true;
            default -> false;
        };
    }
}
