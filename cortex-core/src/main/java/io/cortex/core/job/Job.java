package io.cortex.core.job;

import io.cortex.core.util.Preconditions;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of a job: its spec, state, attempts and version.
 *
 * <p>A job changes only through its verbs ({@link #assign}, {@link #start}, {@link #succeed},
 * {@link #fail}, {@link #requeue}, {@link #cancel}, {@link #resubmit}), which all pass one guard
 * against the {@link JobState} table and throw {@link IllegalJobTransitionException} for a move it
 * does not allow. Each verb returns a {@link Change}: the next snapshot (version + 1) and the event
 * that records it. The engine stores it with compare-and-set on {@link #version()}.
 */
public final class Job {
    private final JobId id;
    private final JobSpec spec;
    private final JobState state;
    private final long version;
    private final List<Attempt> attempts;
    private final int budgetStart;
    private final ProviderId pinnedProvider;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final ReasonCode lastReason;
    private final String lastMessage;

    private Job(JobId id, JobSpec spec, JobState state, long version, List<Attempt> attempts, int budgetStart,
            ProviderId pinnedProvider, Instant createdAt, Instant updatedAt, ReasonCode lastReason, String lastMessage) {
        this.id = id;
        this.spec = spec;
        this.state = state;
        this.version = version;
        this.attempts = attempts;
        this.budgetStart = budgetStart;
        this.pinnedProvider = pinnedProvider;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.lastReason = lastReason;
        this.lastMessage = lastMessage;
    }

    /** A job and the event that recorded how it got there. */
    public record Change(Job job, JobEvent event) {}

    /**
     * A new PENDING job at version 1.
     *
     * @throws NullPointerException when an argument is null
     */
    public static Change create(JobId id, JobSpec spec, Instant now) {
        Preconditions.notNull(id, "jobId");
        Preconditions.notNull(spec, "spec");
        Preconditions.notNull(now, "now");
        Job job = new Job(id, spec, JobState.PENDING, 1, List.of(), 0, null, now, now, ReasonCode.SUBMITTED, "submitted");
        return new Change(job, new JobEvent(id, 1, JobEvent.Type.SUBMITTED, null, JobState.PENDING,
                ReasonCode.SUBMITTED, "submitted " + spec.image(), null, 0, now, List.of()));
    }

    /**
     * Rebuilds a snapshot from stored fields, for stores and JSON. No transition is checked.
     *
     * @throws NullPointerException when a required field is null
     */
    public static Job restore(JobId id, JobSpec spec, JobState state, long version, List<Attempt> attempts,
            int budgetStart, ProviderId pinnedProvider, Instant createdAt, Instant updatedAt, ReasonCode lastReason,
            String lastMessage) {
        Preconditions.notNull(id, "jobId");
        Preconditions.notNull(spec, "spec");
        Preconditions.notNull(state, "state");
        Preconditions.argument(version >= 1, "version must be at least 1, got %d", version);
        Preconditions.notNull(attempts, "attempts");
        Preconditions.argument(budgetStart >= 0 && budgetStart <= attempts.size(),
                "budgetStart must be between 0 and the number of attempts (%d), got %d", attempts.size(), budgetStart);
        List<Attempt> copy = List.copyOf(attempts);
        String message = lastMessage == null ? "" : lastMessage;
        if (!copy.isEmpty()) {
            Attempt last = copy.get(copy.size() - 1);
            if (message.equals(JobEvent.standardMessage(JobEvent.Type.STATE_CHANGED, lastReason, last.provider(), last.number()))) {
                message = null; // standard words: kept as the engine keeps them, written when read
            }
        }
        return new Job(id, spec, state, version, copy, budgetStart, pinnedProvider,
                Preconditions.notNull(createdAt, "createdAt"), Preconditions.notNull(updatedAt, "updatedAt"),
                Preconditions.notNull(lastReason, "lastReason"), message);
    }

    // ---- verbs -------------------------------------------------------------------------------

    /** PENDING → ASSIGNED: placement chose {@code provider}; a new attempt begins. */
    public Change assign(ProviderId provider, Instant now, List<PlacementNote> placement) {
        guard(JobState.ASSIGNED);
        Preconditions.notNull(provider, "provider");
        Attempt attempt = Attempt.begin(attempts.size() + 1, provider, now);
        List<Attempt> next = append(attempts, attempt);
        return move(JobState.ASSIGNED, next, now, ReasonCode.PLACED, null, provider, attempt.number(), placement, null);
    }

    /** Records the provider's handle for the open attempt; the state does not change. */
    public Change accepted(ProviderJobRef ref, Instant now) {
        Attempt open = openAttemptOrThrow();
        Preconditions.notNull(ref, "ref");
        List<Attempt> next = replaceLast(open.withRef(ref));
        Job job = new Job(id, spec, state, version + 1, next, budgetStart, pinnedProvider, createdAt, now, lastReason, lastMessage);
        return new Change(job, new JobEvent(id, version + 1, JobEvent.Type.PROVIDER_ACCEPTED, state, state,
                ReasonCode.PLACED, open.provider() + " accepted it as " + ref, open.provider(), open.number(), now, List.of()));
    }

    /** ASSIGNED → RUNNING: the provider started it; {@code ref} is recorded when the attempt has none yet (may be null). */
    public Change start(Instant now, ProviderJobRef ref) {
        guard(JobState.RUNNING);
        Attempt open = openAttemptOrThrow();
        if (open.ref() == null && ref != null) {
            open = open.withRef(ref);
        }
        return move(JobState.RUNNING, replaceLast(open.started(now)), now, ReasonCode.STARTED, null, open.provider(),
                open.number(), List.of(), pinnedProvider);
    }

    /** RUNNING → SUCCEEDED. */
    public Change succeed(Instant now, BigDecimal cost) {
        guard(JobState.SUCCEEDED);
        Attempt open = openAttemptOrThrow();
        return move(JobState.SUCCEEDED, replaceLast(open.ended(now, ReasonCode.COMPLETED, cost)), now,
                ReasonCode.COMPLETED, null, open.provider(), open.number(), List.of(), null);
    }

    /** → FAILED for {@code reason}; closes the open attempt (with the same reason) if there is one. */
    public Change fail(ReasonCode reason, String message, Instant now, BigDecimal cost, List<PlacementNote> placement) {
        return fail(reason, reason, message, now, cost, placement);
    }

    /**
     * → FAILED for {@code reason}, closing the open attempt with {@code attemptOutcome}: e.g. a job whose
     * last attempt was STUCK_PENDING fails for RETRY_BUDGET_EXHAUSTED, and the attempt keeps its cause.
     */
    public Change fail(ReasonCode reason, ReasonCode attemptOutcome, String message, Instant now, BigDecimal cost,
            List<PlacementNote> placement) {
        guard(JobState.FAILED);
        Preconditions.notNull(reason, "reason");
        Preconditions.notNull(attemptOutcome, "attemptOutcome");
        Attempt open = openAttempt().orElse(null);
        List<Attempt> next = open == null ? attempts : replaceLast(open.ended(now, attemptOutcome, cost));
        return move(JobState.FAILED, next, now, reason, message, open == null ? null : open.provider(),
                open == null ? 0 : open.number(), placement, null);
    }

    /** ASSIGNED or RUNNING → PENDING for {@code reason}: the attempt ends, the job waits for another provider. */
    public Change requeue(ReasonCode reason, String message, Instant now, BigDecimal cost, ProviderId pin) {
        guard(JobState.PENDING);
        Preconditions.notNull(reason, "reason");
        Attempt open = openAttemptOrThrow();
        return move(JobState.PENDING, replaceLast(open.ended(now, reason, cost)), now, reason, message,
                open.provider(), open.number(), List.of(), pin);
    }

    /** PENDING, ASSIGNED or RUNNING → CANCELLED. */
    public Change cancel(String message, Instant now) {
        guard(JobState.CANCELLED);
        Attempt open = openAttempt().orElse(null);
        List<Attempt> next = open == null ? attempts : replaceLast(open.ended(now, ReasonCode.USER_REQUEST, null));
        return move(JobState.CANCELLED, next, now, ReasonCode.USER_REQUEST, message,
                open == null ? null : open.provider(), open == null ? 0 : open.number(), List.of(), null);
    }

    /** FAILED → PENDING on request, with a fresh retry budget, optionally pinned to one provider. */
    public Change resubmit(ProviderId pin, Instant now) {
        guard(JobState.PENDING);
        Preconditions.state(state == JobState.FAILED, "job %s is %s: only a FAILED job can be resubmitted this way", id, state);
        Job job = new Job(id, spec, JobState.PENDING, version + 1, attempts, attempts.size(), pin, createdAt, now,
                ReasonCode.USER_REQUEST, "resubmitted" + (pin != null ? " to " + pin : ""));
        return new Change(job, new JobEvent(id, job.version, JobEvent.Type.STATE_CHANGED, state, JobState.PENDING,
                ReasonCode.USER_REQUEST, job.lastMessage, pin, 0, now, List.of()));
    }

    /** A PENDING job pinned to {@code pin} (or unpinned with null) without a state change. */
    public Change repin(ProviderId pin, Instant now) {
        Preconditions.state(state == JobState.PENDING, "job %s is %s: only a PENDING job can be re-pinned", id, state);
        Job job = new Job(id, spec, state, version + 1, attempts, budgetStart, pin, createdAt, now,
                ReasonCode.USER_REQUEST, pin == null ? "any provider" : "resubmitted to " + pin);
        return new Change(job, new JobEvent(id, job.version, JobEvent.Type.STATE_CHANGED, state, state,
                ReasonCode.USER_REQUEST, job.lastMessage, pin, 0, now, List.of()));
    }

    /** A PENDING job with other resources. */
    public Change withResources(Resources resources, Instant now) {
        if (state != JobState.PENDING) {
            throw new IllegalStateException("job " + id + " is " + state + ": resources can only be changed while the job is PENDING");
        }
        JobSpec nextSpec = spec.withResources(resources);
        Job job = new Job(id, nextSpec, state, version + 1, attempts, budgetStart, pinnedProvider, createdAt, now,
                ReasonCode.RESOURCES_UPDATED, "resources changed to " + resources);
        return new Change(job, new JobEvent(id, job.version, JobEvent.Type.RESOURCES_UPDATED, state, state,
                ReasonCode.RESOURCES_UPDATED, job.lastMessage + " (were " + spec.resources() + ")", null, 0, now, List.of()));
    }

    /** A PENDING job that placement could not place now; records why, without a state change. */
    public Change waiting(ReasonCode reason, String message, Instant now, List<PlacementNote> placement) {
        Preconditions.state(state == JobState.PENDING, "job %s is %s, not PENDING", id, state);
        Job job = new Job(id, spec, state, version + 1, attempts, budgetStart, pinnedProvider, createdAt, now, reason, message);
        return new Change(job, new JobEvent(id, job.version, JobEvent.Type.WAITING, state, state, reason, message,
                null, 0, now, placement));
    }

    private void guard(JobState to) {
        if (!JobState.isAllowed(state, to)) {
            throw new IllegalJobTransitionException(id, state, to);
        }
    }

    private Change move(JobState to, List<Attempt> nextAttempts, Instant now, ReasonCode reason,
            String message, ProviderId provider, int attempt, List<PlacementNote> placement, ProviderId pin) {
        Job job = new Job(id, spec, to, version + 1, nextAttempts, budgetStart, pin, createdAt, now, reason, message);
        return new Change(job, new JobEvent(id, job.version, JobEvent.Type.STATE_CHANGED, state, to, reason, message,
                provider, attempt, now, placement));
    }

    private static List<Attempt> append(List<Attempt> list, Attempt a) {
        if (list.isEmpty()) {
            return List.of(a);
        }
        List<Attempt> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(a);
        return Collections.unmodifiableList(copy);
    }

    private List<Attempt> replaceLast(Attempt a) {
        if (attempts.size() == 1) {
            return List.of(a);
        }
        List<Attempt> copy = new ArrayList<>(attempts);
        copy.set(copy.size() - 1, a);
        return Collections.unmodifiableList(copy);
    }

    private Attempt openAttemptOrThrow() {
        return openAttempt().orElseThrow(() -> new IllegalStateException("job " + id + " is " + state + " and has no open attempt"));
    }

    // ---- reads -------------------------------------------------------------------------------

    /** The id. */
    public JobId id() {
        return id;
    }

    /** What to run. */
    public JobSpec spec() {
        return spec;
    }

    /** The state. */
    public JobState state() {
        return state;
    }

    /** Increases by one with every change; the key of compare-and-set. */
    public long version() {
        return version;
    }

    /** Every attempt, oldest first. */
    public List<Attempt> attempts() {
        return attempts;
    }

    /** The last attempt, while it has not ended. */
    public Optional<Attempt> openAttempt() {
        if (attempts.isEmpty()) {
            return Optional.empty();
        }
        Attempt last = attempts.get(attempts.size() - 1);
        return last.isOpen() ? Optional.of(last) : Optional.empty();
    }

    /** The last attempt, ended or not. */
    public Optional<Attempt> lastAttempt() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    /** The number of the current (or last) attempt, 0 before the first placement. */
    public int attempt() {
        return attempts.size();
    }

    /** The provider of the open attempt, if any. */
    public Optional<ProviderId> provider() {
        return openAttempt().map(Attempt::provider);
    }

    /**
     * Attempts charged to the retry budget since submission or the last resubmit. An attempt the
     * provider never took (see {@link ReasonCode#chargesAttempt()}) is not charged.
     */
    public int attemptsUsed() {
        int used = 0;
        for (int i = budgetStart; i < attempts.size(); i++) {
            ReasonCode outcome = attempts.get(i).outcome();
            if (outcome == null || outcome.chargesAttempt()) {
                used++;
            }
        }
        return used;
    }

    /** Attempts left before the retry budget is spent. */
    public int attemptsLeft() {
        return Math.max(0, spec.maxAttempts() - attemptsUsed());
    }

    /** Index into {@link #attempts()} where the current retry budget began (after a resubmit). */
    public int budgetStart() {
        return budgetStart;
    }

    /** The provider a resubmit asked for, for the next placement only. */
    public Optional<ProviderId> pinnedProvider() {
        return Optional.ofNullable(pinnedProvider);
    }

    /** What all attempts cost together. */
    public BigDecimal spent() {
        BigDecimal total = BigDecimal.ZERO;
        for (Attempt a : attempts) {
            total = total.add(a.cost());
        }
        return total;
    }

    /** When the job was submitted. */
    public Instant createdAt() {
        return createdAt;
    }

    /** When it last changed. */
    public Instant updatedAt() {
        return updatedAt;
    }

    /** Why it last changed. */
    public ReasonCode lastReason() {
        return lastReason;
    }

    /** The last change in human words. */
    public String lastMessage() {
        if (lastMessage != null) {
            return lastMessage;
        }
        // placed / started / succeeded: written now, from the attempt they concern (the last one)
        Attempt last = attempts.get(attempts.size() - 1);
        return JobEvent.standardMessage(JobEvent.Type.STATE_CHANGED, lastReason, last.provider(), last.number());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Job j && j.id.equals(id) && j.version == version;
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "Job{" + id + " " + state + " v" + version + " attempt " + attempts.size() + "/" + spec.maxAttempts()
                + (provider().isPresent() ? " on " + provider().get() : "") + ", " + lastReason + ": " + lastMessage() + "}";
    }
}
