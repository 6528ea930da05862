package io.cortex.core.provider;

import java.util.List;

/** Optional ability: a provider that keeps the lines a job printed. */
public interface LogSource {
    /**
     * Up to {@code limit} lines of an attempt with a sequence greater than {@code afterSequence}
     * (use -1 for the beginning), in order.
     *
     * @throws ProviderException with {@code PROVIDER_LOST_JOB} for an unknown handle
     */
    List<LogLine> logs(ProviderJobRef ref, long afterSequence, int limit);
}
