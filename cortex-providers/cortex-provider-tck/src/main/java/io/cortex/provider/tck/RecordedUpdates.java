package io.cortex.provider.tck;

import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderUpdates;
import io.cortex.core.provider.RemoteStatus;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ProviderUpdates} that keeps every report a provider pushes, in arrival order, so a test
 * can check them. Thread-safe.
 */
public final class RecordedUpdates implements ProviderUpdates {
    /**
     * One pushed report.
     *
     * @param attempt the attempt the provider named
     * @param ref the provider's handle it named
     * @param status the status it reported
     */
    public record Report(AttemptRef attempt, ProviderJobRef ref, RemoteStatus status) {}

    private final List<Report> reports = new CopyOnWriteArrayList<>();

    /** An empty recorder. */
    public RecordedUpdates() {}

    /**
     * Records one report.
     *
     * @throws NullPointerException when an argument is null: a provider must name the attempt, the
     *     handle and the status
     */
    @Override
    public void report(AttemptRef attempt, ProviderJobRef ref, RemoteStatus status) {
        reports.add(new Report(Objects.requireNonNull(attempt, "attempt cannot be null"),
                Objects.requireNonNull(ref, "ref cannot be null"), Objects.requireNonNull(status, "status cannot be null")));
    }

    /** Every report so far, oldest first. */
    public List<Report> all() {
        return List.copyOf(reports);
    }

    /**
     * The reports naming {@code ref}, oldest first.
     *
     * @throws NullPointerException when {@code ref} is null
     */
    public List<Report> of(ProviderJobRef ref) {
        Objects.requireNonNull(ref, "ref cannot be null");
        return reports.stream().filter(r -> r.ref().equals(ref)).toList();
    }

    @Override
    public String toString() {
        return "RecordedUpdates{" + reports.size() + " reports}";
    }
}
