package io.cortex.server.internal;

import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.core.store.Page;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How model values are shown over HTTP where that differs from their stored form. */
public final class Views {
    /** What an environment value is replaced with in every response. */
    public static final String REDACTED = "<redacted>";

    private Views() {}

    /**
     * The job with its environment values replaced by {@value #REDACTED} (names kept): environment
     * values may hold secrets and a read-scoped key must not see them.
     *
     * @param job the job
     * @return the job to write
     */
    public static Job job(Job job) {
        Map<String, String> env = job.spec().env();
        if (env.isEmpty()) {
            return job;
        }
        Map<String, String> hidden = new LinkedHashMap<>();
        env.keySet().forEach(k -> hidden.put(k, REDACTED));
        JobSpec spec = job.spec().toBuilder().env(hidden).build();
        return Job.restore(job.id(), spec, job.state(), job.version(), job.attempts(), job.budgetStart(),
                job.pinnedProvider().orElse(null), job.createdAt(), job.updatedAt(), job.lastReason(), job.lastMessage());
    }

    /**
     * A page of jobs, each shown by {@link #job(Job)}.
     *
     * @param page the page
     * @return the page to write
     */
    public static Page<Job> jobs(Page<Job> page) {
        List<Job> items = page.items().stream().map(Views::job).toList();
        return new Page<>(items, page.offset(), page.limit(), page.total());
    }
}
