package io.cortex.core.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Jackson mix-ins: the few adjustments to records that Jackson's record support otherwise maps
 * right, kept here so the domain records carry no annotation.
 */
final class Mixins {
    private Mixins() {}

    /** {@code Attempt.isOpen()} is derived from {@code endedAt}: not a field. */
    abstract static class AttemptMixin {
        @JsonIgnore
        abstract boolean isOpen();
    }

    /** {@code JobEvent.isTransition()} is derived from {@code from} and {@code to}: not a field. */
    abstract static class JobEventMixin {
        @JsonIgnore
        abstract boolean isTransition();
    }

    /** {@code RemoteStatus.isFinal()} is derived from {@code state}: not a field. */
    abstract static class RemoteStatusMixin {
        @JsonIgnore
        abstract boolean isFinal();
    }

    /** {@code Page.hasMore()} is written for clients and skipped on read (it is derived). */
    @JsonIgnoreProperties(value = "hasMore", allowGetters = true)
    abstract static class PageMixin {
        @JsonProperty("hasMore")
        abstract boolean hasMore();
    }
}
