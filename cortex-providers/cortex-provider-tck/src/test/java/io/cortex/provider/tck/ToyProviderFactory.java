package io.cortex.provider.tck;

import io.cortex.core.job.JobSpec;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderContext;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderFactory;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.RemoteState;
import io.cortex.core.provider.RemoteStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny provider that keeps the contract, registered for the kit's own tests, with switches that
 * each break one rule: the kit must notice every one of them.
 */
public final class ToyProviderFactory implements ProviderFactory {
    /** The rules a toy provider can be told to break. */
    enum Bug {
        SECRET_IN_TO_STRING, CANCEL_NOT_IDEMPOTENT, UNKNOWN_REF_IS_NOT_LOST, FINAL_STATE_CHANGES, IGNORES_CAPABILITIES
    }

    /** The bugs providers made from now on have; set by the kit's own tests. */
    static final Set<Bug> BUGS = EnumSet.noneOf(Bug.class);

    /** For the service loader. */
    public ToyProviderFactory() {}

    @Override
    public String type() {
        return "toy";
    }

    @Override
    public ComputeProvider create(ProviderContext context) {
        return new Toy(context, EnumSet.copyOf(BUGS.isEmpty() ? EnumSet.noneOf(Bug.class) : BUGS));
    }

    /** Jobs by image: {@code tck/fail} fails, {@code tck/hang} runs until cancelled, others succeed at once. */
    private static final class Toy implements ComputeProvider {
        private final ProviderContext context;
        private final Set<Bug> bugs;
        private final Map<String, RemoteStatus> jobs = new ConcurrentHashMap<>();
        private final Map<String, Integer> reads = new ConcurrentHashMap<>();
        private final AtomicLong seq = new AtomicLong();

        Toy(ProviderContext context, Set<Bug> bugs) {
            this.context = context;
            this.bugs = bugs;
        }

        @Override
        public ProviderId id() {
            return context.id();
        }

        @Override
        public String type() {
            return "toy";
        }

        @Override
        public ProviderCapabilities capabilities() {
            return ProviderCapabilities.of(4000, "8Gi", "20Gi");
        }

        @Override
        public ProviderHealth checkHealth() {
            return ProviderHealth.online();
        }

        @Override
        public ProviderJobRef submit(JobSpec spec, AttemptRef attempt) {
            if (!bugs.contains(Bug.IGNORES_CAPABILITIES) && spec.resources().cpuMillis() > capabilities().maxCpuMillis()) {
                throw new ProviderException(ReasonCode.RESOURCES_EXCEED_CAPABILITIES, "too big");
            }
            String ref = "toy-" + seq.incrementAndGet();
            String image = spec.image().repository();
            jobs.put(ref, image.equals("tck/fail") ? RemoteStatus.exited(2, "boom")
                    : image.equals("tck/hang") ? RemoteStatus.running() : RemoteStatus.succeeded());
            return ProviderJobRef.of(ref);
        }

        @Override
        public RemoteStatus status(ProviderJobRef ref) {
            RemoteStatus s = jobs.get(ref.value());
            if (s == null) {
                throw bugs.contains(Bug.UNKNOWN_REF_IS_NOT_LOST) ? new IllegalArgumentException("what?")
                        : new ProviderException(ReasonCode.PROVIDER_LOST_JOB, "no job " + ref);
            }
            if (bugs.contains(Bug.FINAL_STATE_CHANGES) && s.state() == RemoteState.SUCCEEDED
                    && reads.merge(ref.value(), 1, Integer::sum) > 1) {
                return RemoteStatus.running();
            }
            return s;
        }

        @Override
        public void cancel(ProviderJobRef ref) {
            RemoteStatus s = jobs.get(ref.value());
            if (s == null) {
                return;
            }
            if (s.isFinal() && bugs.contains(Bug.CANCEL_NOT_IDEMPOTENT)) {
                throw new IllegalStateException("already finished");
            }
            if (!s.isFinal()) {
                jobs.put(ref.value(), RemoteStatus.cancelled());
            }
        }

        @Override
        public String toString() {
            return "Toy{" + context.id() + (bugs.contains(Bug.SECRET_IN_TO_STRING) ? ", " + context.credentials().values() : "") + "}";
        }
    }
}
