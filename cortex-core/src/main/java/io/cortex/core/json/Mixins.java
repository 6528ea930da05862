package io.cortex.core.json;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.ProviderChange;
import java.time.Instant;

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

    /**
     * {@code CortexEvent} is a final class with record-style accessors (its id is written lazily):
     * mapped as if it were the record {@code (id, type, timestamp, job, provider)}; the derived
     * {@code jobId()} and {@code providerId()} are not fields.
     */
    @JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE,
            fieldVisibility = JsonAutoDetect.Visibility.NONE)
    abstract static class CortexEventMixin {
        @JsonCreator
        CortexEventMixin(@JsonProperty("id") String id, @JsonProperty("type") String type,
                @JsonProperty("timestamp") Instant timestamp, @JsonProperty("job") CortexEvent.JobChange job,
                @JsonProperty("provider") ProviderChange provider) {}

        @JsonProperty("id")
        abstract String id();

        @JsonProperty("type")
        abstract String type();

        @JsonProperty("timestamp")
        abstract Instant timestamp();

        @JsonProperty("job")
        abstract CortexEvent.JobChange job();

        @JsonProperty("provider")
        abstract ProviderChange provider();
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
