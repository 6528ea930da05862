package io.cortex.core.internal;

import io.cortex.core.job.Attempt;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.placement.Candidate;
import io.cortex.core.placement.PlacementStrategy;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.WalletBalance;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses a provider for a pending job: filters with a note for every provider skipped, tiers
 * (ONLINE before DEGRADED, providers that failed the job last), then the job's preferred order and
 * the ranking strategy.
 */
public final class Placer {
    private final PlacementStrategy strategy;
    private final Duration defaultRunTime;
    /** Set before the engine starts (or null): no clock is read for it when null. */
    private DecisionTimer timer;

    public Placer(PlacementStrategy strategy, Duration defaultRunTime) {
        this.strategy = strategy;
        this.defaultRunTime = defaultRunTime;
    }

    /** What placement decided. */
    public record Decision(ProviderSlot chosen, List<ProviderSlot> alternatives, List<PlacementNote> notes,
            ReasonCode reason, String message, boolean permanent, List<ProviderSlot> walletLow) {}

    /** Told how long each decision took (the meters' placement timer). */
    @FunctionalInterface
    public interface DecisionTimer {
        void record(Decision decision, long nanos);
    }

    /** Times every decision from now on with {@code value}; null stops timing. Set before the engine starts. */
    public void timer(DecisionTimer value) {
        this.timer = value;
    }

    private enum Verdict { OK, DEPRIORITIZED, WAIT, NEVER }

    /** Decides where {@code job} goes among {@code slots} (in configuration order; indexed, no iterator on this hot path). */
    public Decision decide(Job job, List<ProviderSlot> slots, Instant now) {
        DecisionTimer t = timer;
        if (t == null) {
            return decideUntimed(job, slots, now);
        }
        long start = System.nanoTime();
        Decision d = decideUntimed(job, slots, now);
        t.record(d, System.nanoTime() - start);
        return d;
    }

    private Decision decideUntimed(Job job, List<ProviderSlot> slots, Instant now) {
        JobSpec spec = job.spec();
        if (slots.isEmpty()) {
            return new Decision(null, List.of(), List.of(), ReasonCode.NO_PROVIDER,
                    "no provider is configured", true, List.of());
        }
        Set<ProviderId> failedBefore = failedBefore(job);
        ProviderId pin = job.pinnedProvider().orElse(null);
        // allocation-light: most placements find one fitting provider in the first tier
        List<PlacementNote> notes = null;
        List<ProviderSlot> walletLow = List.of();
        int n = slots.size();
        ProviderSlot[] fits = new ProviderSlot[n];
        BigDecimal[] fitCost = new BigDecimal[n];
        int[] fitTier = new int[n];
        int fitCount = 0;
        int bestTier = Integer.MAX_VALUE;
        int never = 0;
        int considered = 0;
        ReasonCode firstNever = null;
        ReasonCode firstWait = null;
        for (int i = 0; i < n; i++) {
            ProviderSlot slot = slots.get(i);
            if (pin != null && !slot.id.equals(pin)) {
                continue;
            }
            considered++;
            ProviderCapabilities caps = slot.capabilities();
            BigDecimal cost = caps == null ? BigDecimal.ZERO : estimate(spec, caps);
            PlacementNote problem = firstProblem(job, slot, caps, cost, now);
            ReasonCode why = problem == null ? null : problem.reason();
            Verdict verdict = verdict(why);
            if (why == ReasonCode.INSUFFICIENT_FUNDS) {
                if (walletLow.isEmpty()) {
                    walletLow = new ArrayList<>(2);
                }
                walletLow.add(slot);
            }
            if (verdict == Verdict.NEVER || verdict == Verdict.WAIT) {
                if (verdict == Verdict.NEVER) {
                    never++;
                    firstNever = firstNever == null ? why : firstNever;
                } else {
                    firstWait = firstWait == null ? why : firstWait;
                }
                notes = add(notes, problem);
                continue;
            }
            boolean degraded = why == ReasonCode.PROVIDER_DEGRADED;
            boolean failed = failedBefore.contains(slot.id);
            if (failed) {
                notes = add(notes, new PlacementNote(slot.id, ReasonCode.FAILED_EARLIER_ATTEMPT,
                        "failed this job in an earlier attempt; used only when no other provider fits"));
            } else if (degraded) {
                notes = add(notes, problem);
            }
            int tier = (failed ? 2 : 0) + (degraded ? 1 : 0);
            fits[fitCount] = slot;
            fitCost[fitCount] = cost;
            fitTier[fitCount] = tier;
            fitCount++;
            bestTier = Math.min(bestTier, tier);
        }
        if (fitCount == 1) {
            ProviderSlot chosen = fits[0];
            PlacementNote chosenNote = chosenNote(chosen, fitCost[0]);
            notes = notes == null ? List.of(chosenNote) : add(notes, chosenNote);
            return new Decision(chosen, List.of(), notes, ReasonCode.PLACED, "placed", false, walletLow);
        }
        if (fitCount > 1) {
            List<ProviderSlot> tier = new ArrayList<>(fitCount);
            Map<ProviderSlot, BigDecimal> costs = new HashMap<>(fitCount * 2);
            for (int i = 0; i < fitCount; i++) {
                if (fitTier[i] == bestTier) {
                    tier.add(fits[i]);
                    costs.put(fits[i], fitCost[i]);
                }
            }
            List<ProviderSlot> ranked = rank(spec, tier, costs);
            ProviderSlot chosen = ranked.get(0);
            PlacementNote chosenNote = chosenNote(chosen, costs.get(chosen));
            notes = notes == null ? List.of(chosenNote) : add(notes, chosenNote);
            return new Decision(chosen, ranked.subList(1, ranked.size()), notes, ReasonCode.PLACED, "placed", false, walletLow);
        }
        List<PlacementNote> all = notes == null ? List.of() : notes;
        if (considered == 0) {
            return new Decision(null, List.of(), all, ReasonCode.NO_PROVIDER,
                    "the provider asked for (" + pin + ") is not configured", true, walletLow);
        }
        if (never == considered) {
            return new Decision(null, List.of(), all, firstNever, "no provider can ever run this job: " + summarize(all), true, walletLow);
        }
        return new Decision(null, List.of(), all, firstWait, "no provider can take the job now: " + summarize(all), false, walletLow);
    }

    private static PlacementNote chosenNote(ProviderSlot chosen, BigDecimal cost) {
        return cost.signum() > 0
                ? new PlacementNote(chosen.id, ReasonCode.PLACED, "chosen (estimated cost " + cost.toPlainString() + ")")
                : chosen.chosenNote;
    }

    private static List<PlacementNote> add(List<PlacementNote> notes, PlacementNote note) {
        List<PlacementNote> out = notes == null ? new ArrayList<>(4) : notes;
        out.add(note);
        return out;
    }


    private static String summarize(List<PlacementNote> notes) {
        StringBuilder b = new StringBuilder();
        for (PlacementNote n : notes) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(n.provider()).append(": ").append(n.reason()).append(" (").append(n.detail()).append(')');
        }
        return b.toString();
    }

    private static Verdict verdict(ReasonCode why) {
        if (why == null) {
            return Verdict.OK;
        }
        return switch (why) {
            case PROVIDER_DEGRADED -> Verdict.DEPRIORITIZED;
            case EXCLUDED_BY_CONSTRAINTS, RESOURCES_EXCEED_CAPABILITIES, IMAGE_REJECTED, PRICE_EXCEEDS_MAX,
                    SPEND_LIMIT_REACHED -> Verdict.NEVER;
            default -> Verdict.WAIT;
        };
    }

    /** Null when the provider may take the job; else the first reason why not. */
    private PlacementNote firstProblem(Job job, ProviderSlot slot, ProviderCapabilities caps, BigDecimal cost, Instant now) {
        List<PlacementNote> problems = problems(job, slot, caps, cost, now, true);
        return problems.isEmpty() ? null : problems.get(0);
    }


    /** Every reason {@code slot} cannot (or should not) take {@code job} now; empty when it can. */
    public List<PlacementNote> explain(Job job, ProviderSlot slot, Instant now) {
        ProviderCapabilities caps = slot.capabilities();
        BigDecimal cost = caps == null ? BigDecimal.ZERO : estimate(job.spec(), caps);
        return problems(job, slot, caps, cost, now, false);
    }

    private List<PlacementNote> problems(Job job, ProviderSlot slot, ProviderCapabilities caps, BigDecimal cost, Instant now,
            boolean firstOnly) {
        List<PlacementNote> out = new ArrayList<>(0); // grows only when a problem is found
        JobSpec spec = job.spec();
        ProviderId id = slot.id;
        if (!spec.constraints().permits(id)) {
            out.add(new PlacementNote(id, ReasonCode.EXCLUDED_BY_CONSTRAINTS,
                    spec.constraints().deny().contains(id) ? "on the job's deny list" : "not on the job's allow list"));
            if (firstOnly) {
                return out;
            }
        }
        if (caps != null) {
            Resources r = spec.resources();
            if (r.cpuMillis() > caps.maxCpuMillis()) {
                out.add(new PlacementNote(id, ReasonCode.RESOURCES_EXCEED_CAPABILITIES,
                        "cpu " + r.cpuMillis() + "m exceeds the provider's max " + caps.maxCpuMillis() + "m"));
            }
            if (r.memory().exceeds(caps.maxMemory())) {
                out.add(new PlacementNote(id, ReasonCode.RESOURCES_EXCEED_CAPABILITIES,
                        "memory " + r.memory() + " exceeds the provider's max " + caps.maxMemory()));
            }
            if (r.storage().exceeds(caps.maxStorage())) {
                out.add(new PlacementNote(id, ReasonCode.RESOURCES_EXCEED_CAPABILITIES,
                        "storage " + r.storage() + " exceeds the provider's max " + caps.maxStorage()));
            }
            if (r.gpus() > caps.maxGpus()) {
                out.add(new PlacementNote(id, ReasonCode.RESOURCES_EXCEED_CAPABILITIES,
                        r.gpus() + " GPUs requested, the provider offers at most " + caps.maxGpus()));
            }
            if (!caps.registries().isEmpty() && !caps.registries().contains(spec.image().registry())) {
                out.add(new PlacementNote(id, ReasonCode.IMAGE_REJECTED,
                        "registry " + spec.image().registry() + " is not one of " + caps.registries()));
            }
            if (spec.maxPrice().isPresent()) {
                BigDecimal max = spec.maxPrice().get();
                BigDecimal spent = job.spent();
                if (cost.compareTo(max) > 0) {
                    out.add(new PlacementNote(id, ReasonCode.PRICE_EXCEEDS_MAX, "estimated cost " + cost.toPlainString() + " "
                            + caps.currency() + " exceeds the job's max price " + max.toPlainString()));
                } else if (spent.add(cost).compareTo(max) > 0) {
                    out.add(new PlacementNote(id, ReasonCode.SPEND_LIMIT_REACHED, "already spent " + spent.toPlainString()
                            + "; another attempt (" + cost.toPlainString() + ") would pass the job's max price " + max.toPlainString()));
                }
            }
            if (firstOnly && !out.isEmpty()) {
                return out;
            }
        }
        ProviderStatus status = slot.status();
        if (status == ProviderStatus.OFFLINE) {
            out.add(new PlacementNote(id, ReasonCode.PROVIDER_OFFLINE, "offline: " + slot.message()));
        } else if (caps == null) {
            out.add(new PlacementNote(id, ReasonCode.PROVIDER_OFFLINE, "capabilities not known yet (provider not reachable so far)"));
        }
        if (slot.authFailed()) {
            out.add(new PlacementNote(id, ReasonCode.AUTH_FAILED, "credentials refused: " + slot.message()));
        }
        Instant congested = slot.congestedUntil();
        if (congested != null && now.isBefore(congested)) {
            out.add(new PlacementNote(id, ReasonCode.NO_CAPACITY, "reported no capacity; tried again after " + congested));
        }
        WalletBalance balance = slot.balance();
        if (balance != null && caps != null && !balance.covers(cost)) {
            out.add(new PlacementNote(id, ReasonCode.INSUFFICIENT_FUNDS, "wallet holds " + balance + ", the job needs about "
                    + cost.toPlainString() + " " + caps.currency()));
        }
        if (status == ProviderStatus.DEGRADED && !slot.authFailed()) {
            out.add(new PlacementNote(id, ReasonCode.PROVIDER_DEGRADED, "degraded: " + slot.message()));
        }
        return out;
    }

    /** What {@code spec} would cost on a provider with {@code caps}: price per hour × max run time (or the default estimate). */
    public BigDecimal estimate(JobSpec spec, ProviderCapabilities caps) {
        if (caps.pricePerHour().signum() == 0) {
            return BigDecimal.ZERO;
        }
        Duration runTime = spec.maxRunTime().orElse(defaultRunTime);
        return cost(caps.pricePerHour(), runTime);
    }

    /** Price per hour × duration. */
    public static BigDecimal cost(BigDecimal pricePerHour, Duration d) {
        if (pricePerHour.signum() == 0 || d.isZero() || d.isNegative()) {
            return BigDecimal.ZERO;
        }
        BigDecimal hours = BigDecimal.valueOf(d.toMillis()).divide(BigDecimal.valueOf(3_600_000L), MathContext.DECIMAL64);
        return pricePerHour.multiply(hours, MathContext.DECIMAL64).stripTrailingZeros();
    }

    private static Set<ProviderId> failedBefore(Job job) {
        List<Attempt> attempts = job.attempts();
        if (attempts.isEmpty()) {
            return Set.of();
        }
        Set<ProviderId> out = new HashSet<>();
        for (int i = job.budgetStart(); i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            if (a.outcome() != null && a.outcome().chargesAttempt()) {
                out.add(a.provider());
            }
        }
        return out;
    }

    private List<ProviderSlot> rank(JobSpec spec, List<ProviderSlot> tier, Map<ProviderSlot, BigDecimal> costs) {
        if (tier.size() == 1) {
            return tier;
        }
        List<Candidate> candidates = new ArrayList<>(tier.size());
        Map<ProviderId, ProviderSlot> byId = new HashMap<>();
        for (ProviderSlot s : tier) {
            candidates.add(new Candidate(s.id, s.status(), s.capabilities(), costs.get(s), s.inFlight.intValue()));
            byId.put(s.id, s);
        }
        List<ProviderSlot> out = new ArrayList<>(tier.size());
        for (ProviderId preferred : spec.constraints().preferred()) {
            ProviderSlot s = byId.remove(preferred);
            if (s != null) {
                out.add(s);
            }
        }
        for (Candidate c : strategy.rank(spec, candidates)) {
            ProviderSlot s = byId.remove(c.provider());
            if (s != null) {
                out.add(s);
            }
        }
        out.addAll(byId.values());
        return out;
    }

}
