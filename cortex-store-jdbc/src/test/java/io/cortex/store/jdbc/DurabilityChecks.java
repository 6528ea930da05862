package io.cortex.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.Attempt;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.Page;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The promises a crash must not break, checked on a store after the engines stopped and on the
 * ledger of what they did: no job lost, none placed twice once its placement was recorded, every
 * event delivered at least once with its stable id, each job's events in order.
 */
final class DurabilityChecks {
    /** What the checks found, for the test's report. */
    record Summary(int jobs, int replacedUnrecorded, int deliveries, int redeliveries) {}

    private DurabilityChecks() {}

    /** The job's history, one event a line, for failure messages. */
    static String history(JobStore store, Job job) {
        StringBuilder out = new StringBuilder();
        for (JobEvent e : store.events(job.id())) {
            out.append("  v").append(e.version()).append(' ').append(e.timestamp()).append(' ').append(e.type()).append(' ')
                    .append(e.from()).append(" -> ").append(e.to()).append(' ').append(e.reason()).append(": ")
                    .append(e.message()).append('\n');
        }
        return out.toString();
    }

    static List<Job> allJobs(JobStore store) {
        List<Job> out = new ArrayList<>();
        for (int offset = 0; ; offset += JobQuery.MAX_LIMIT) {
            Page<Job> page = store.query(JobQuery.all().page(offset, JobQuery.MAX_LIMIT));
            out.addAll(page.items());
            if (!page.hasMore()) {
                return out;
            }
        }
    }

    /**
     * @param accepted jobs an engine's {@code submit} returned
     * @param submits (job, attempt) for every submit a provider received, in order
     * @param deliveries (event id, job id) for every event a listener received, in the order received
     */
    static Summary verify(JobStore store, Set<String> accepted, List<Map.Entry<String, Integer>> submits,
            List<Map.Entry<String, String>> deliveries) {
        List<Job> jobs = allJobs(store);
        Map<String, Job> byId = new HashMap<>();
        jobs.forEach(j -> byId.put(j.id().value(), j));

        assertThat(byId.keySet()).as("every job an engine accepted is stored (none lost)").containsAll(accepted);
        assertThat(jobs).as("every job finished").allSatisfy(j -> assertThat(j.state()).as(j.id().value())
                .isEqualTo(JobState.SUCCEEDED));

        Map<String, List<Integer>> attempts = new HashMap<>();
        for (Map.Entry<String, Integer> s : submits) {
            attempts.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(s.getValue());
        }
        int replaced = 0;
        for (Job job : jobs) {
            List<Integer> sent = attempts.getOrDefault(job.id().value(), List.of());
            int last = job.attempts().size();
            Attempt finalAttempt = job.attempts().get(last - 1);
            assertThat(finalAttempt.ref()).as("%s: the succeeded attempt's placement is recorded", job.id()).isNotNull();
            assertThat(sent).as("%s: each attempt reaches the provider at most once, the last exactly once", job.id())
                    .doesNotHaveDuplicates().contains(last).allSatisfy(a -> assertThat(a).isBetween(1, last));
            for (int a : sent) {
                if (a != last) {
                    Attempt earlier = job.attempts().get(a - 1);
                    assertThat(earlier.ref()).as("%s: attempt %d was placed again only because its placement was never "
                            + "recorded; history:%n%s", job.id(), a, history(store, job)).isNull();
                    assertThat(earlier.outcome()).isEqualTo(ReasonCode.PROVIDER_TIMEOUT);
                    replaced++;
                }
            }
        }

        Map<String, Set<Long>> seen = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, String> d : deliveries) {
            ids.add(d.getKey());
            if (d.getValue() == null || "-".equals(d.getValue())) {
                continue; // a provider event
            }
            String job = d.getValue();
            long version = Long.parseLong(d.getKey().substring(d.getKey().lastIndexOf('_') + 1));
            assertThat(d.getKey()).isEqualTo("evt_" + job.substring(4) + "_" + version);
            Set<Long> before = seen.computeIfAbsent(job, k -> new HashSet<>());
            for (long v = 1; v < version; v++) {
                assertThat(before).as("%s: version %d delivered before version %d", job, v, version).contains(v);
            }
            before.add(version);
        }
        for (Job job : jobs) {
            for (JobEvent e : store.events(job.id())) {
                assertThat(ids).as("event %d of %s delivered with its id", e.version(), job.id())
                        .contains(JobStoreContract.eventId(job, e.version()));
            }
        }
        assertThat(store.outboxSize()).as("nothing left to deliver").isZero();
        return new Summary(jobs.size(), replaced, deliveries.size(), deliveries.size() - ids.size());
    }
}
