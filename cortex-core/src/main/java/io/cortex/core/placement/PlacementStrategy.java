package io.cortex.core.placement;

import io.cortex.core.job.JobSpec;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks the providers that passed the placement filters; the engine tries them in the returned
 * order. The job's preferred providers always come first, in the job's order, before this ranking.
 */
@FunctionalInterface
public interface PlacementStrategy {
    /** The candidates, best first. Must return a permutation (or a subset) of {@code candidates}. */
    List<Candidate> rank(JobSpec spec, List<Candidate> candidates);

    /** Cheapest estimated cost first, then fewest jobs in flight, then id: the default. */
    static PlacementStrategy cheapestFirst() {
        return (spec, candidates) -> candidates.stream()
                .sorted(Comparator.comparing(Candidate::estimatedCost)
                        .thenComparingInt(Candidate::jobsInFlight)
                        .thenComparing(Candidate::provider))
                .toList();
    }

    /** Fewest jobs in flight first, then id: spreads load. */
    static PlacementStrategy leastLoaded() {
        return (spec, candidates) -> candidates.stream()
                .sorted(Comparator.comparingInt(Candidate::jobsInFlight).thenComparing(Candidate::provider))
                .toList();
    }
}
