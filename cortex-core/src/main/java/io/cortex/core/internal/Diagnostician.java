package io.cortex.core.internal;

import io.cortex.core.diagnostics.Diagnosis;
import io.cortex.core.diagnostics.Finding;
import io.cortex.core.diagnostics.Finding.Severity;
import io.cortex.core.job.Attempt;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobState;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the checks of the operator guide against one job: its history (what each attempt ended
 * with), and every provider it may use (status, credentials, wallet, capacity, capabilities).
 */
public final class Diagnostician {
    private static final Set<ReasonCode> PERMANENT = Set.of(ReasonCode.EXCLUDED_BY_CONSTRAINTS,
            ReasonCode.RESOURCES_EXCEED_CAPABILITIES, ReasonCode.IMAGE_REJECTED, ReasonCode.PRICE_EXCEEDS_MAX,
            ReasonCode.SPEND_LIMIT_REACHED);

    private final Placer placer;

    public Diagnostician(Placer placer) {
        this.placer = placer;
    }

    public Diagnosis diagnose(Job job, List<JobEvent> events, Collection<ProviderSlot> slots, Instant now) {
        List<Finding> findings = new ArrayList<>();
        String summary = summary(job, now);
        if (job.state() == JobState.FAILED) {
            findings.add(new Finding(Severity.BLOCKING, job.lastReason(), job.lastAttempt().map(a -> a.provider().value()).orElse(null),
                    "the job failed: " + job.lastMessage(), job.lastReason().suggestedAction()));
        }
        // what each attempt of the current budget ended with
        Set<String> seen = new LinkedHashSet<>();
        for (int i = job.budgetStart(); i < job.attempts().size(); i++) {
            Attempt a = job.attempts().get(i);
            if (a.outcome() == null || a.outcome() == ReasonCode.COMPLETED || a.outcome() == ReasonCode.USER_REQUEST) {
                continue;
            }
            String message = events.stream().filter(e -> e.attempt() == a.number() && e.reason() == a.outcome())
                    .map(JobEvent::message).reduce((x, y) -> y).orElse(a.outcome().description());
            if (seen.add(a.outcome() + "@" + a.provider())) {
                findings.add(new Finding(Severity.WARNING, a.outcome(), a.provider().value(),
                        "attempt " + a.number() + " on " + a.provider() + " ended: " + message, a.outcome().suggestedAction()));
            }
        }
        if (!job.state().isFinished() || job.state() == JobState.FAILED) {
            int usable = 0;
            List<Finding> providerFindings = new ArrayList<>();
            for (ProviderSlot slot : slots) {
                List<PlacementNote> problems = placer.explain(job, slot, now);
                boolean blocked = false;
                for (PlacementNote n : problems) {
                    blocked |= n.reason() != ReasonCode.PROVIDER_DEGRADED;
                    if (n.reason() == ReasonCode.EXCLUDED_BY_CONSTRAINTS && !job.spec().constraints().allow().isEmpty()) {
                        continue; // an allow list excluding most providers is the user's intent, not a problem
                    }
                    providerFindings.add(new Finding(PERMANENT.contains(n.reason()) ? Severity.BLOCKING : Severity.WARNING,
                            n.reason(), n.provider().value(), n.provider() + ": " + n.detail(), suggest(n.reason(), slot)));
                }
                if (!blocked) {
                    usable++;
                }
            }
            if (job.state() == JobState.PENDING && usable > 0 && providerFindings.isEmpty()) {
                findings.add(new Finding(Severity.INFO, ReasonCode.PLACED, null,
                        usable + " provider(s) can take the job; it is placed on the next scheduler pass", "none"));
            }
            if (job.state() == JobState.PENDING && usable == 0 && !slots.isEmpty()) {
                providerFindings.replaceAll(f -> f.severity() == Severity.WARNING
                        ? new Finding(Severity.BLOCKING, f.reason(), f.provider(), f.message(), f.suggestedAction()) : f);
            }
            findings.addAll(providerFindings);
            if (slots.isEmpty()) {
                findings.add(new Finding(Severity.BLOCKING, ReasonCode.NO_PROVIDER, null, "no provider is configured",
                        ReasonCode.NO_PROVIDER.suggestedAction()));
            }
        }
        if (job.state() == JobState.ASSIGNED) {
            Attempt a = job.openAttempt().orElseThrow();
            ProviderSlot slot = slots.stream().filter(s -> s.id.equals(a.provider())).findFirst().orElse(null);
            if (slot != null && slot.status() != ProviderStatus.ONLINE) {
                findings.add(new Finding(Severity.WARNING, slot.status() == ProviderStatus.OFFLINE ? ReasonCode.PROVIDER_OFFLINE
                        : ReasonCode.PROVIDER_DEGRADED, slot.id.value(), "the job's provider " + slot.id + " is " + slot.status()
                        + ": " + slot.message(), "none; Cortex moves the job when the provider is confirmed offline"));
            }
        }
        if (findings.isEmpty()) {
            findings.add(new Finding(Severity.INFO, job.lastReason(), job.provider().map(Object::toString).orElse(null),
                    "no problem found: " + job.lastMessage(), "none"));
        }
        findings.sort(Comparator.comparing(Finding::severity).reversed());
        return new Diagnosis(job.id(), job.state(), summary, findings, now);
    }

    private static String suggest(ReasonCode reason, ProviderSlot slot) {
        return reason.suggestedAction().replace("{id}", slot.id.value());
    }

    private static String summary(Job job, Instant now) {
        Duration age = Duration.between(job.updatedAt(), now);
        String since = " for " + human(age);
        return switch (job.state()) {
            case PENDING -> "pending" + since + (job.attempt() > 0 ? " after " + job.attempt() + " attempt(s)" : "")
                    + "; last: " + job.lastReason() + " - " + job.lastMessage();
            case ASSIGNED -> "assigned to " + job.provider().orElseThrow() + since + ", not started yet";
            case RUNNING -> "running on " + job.provider().orElseThrow() + since;
            case SUCCEEDED -> "succeeded after " + job.attempt() + " attempt(s)";
            case FAILED -> "failed: " + job.lastReason() + " - " + job.lastMessage();
            case CANCELLED -> "cancelled";
        };
    }

    private static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m";
        }
        return (s / 3600) + "h" + ((s % 3600) / 60) + "m";
    }
}
