package io.cortex.provider.inmemory;

import io.cortex.core.job.JobSpec;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderFactory;
import io.cortex.provider.tck.ProviderContractTest;
import java.util.Map;
import java.util.Optional;

/** The in-memory provider keeps the provider contract. */
class InMemoryProviderContractTest extends ProviderContractTest {

    @Override
    protected ProviderFactory factory() {
        return new InMemoryProviderFactory();
    }

    @Override
    protected Map<String, String> configuration() {
        return Map.of("maxCpu", "8000", "maxMemory", "16Gi", "wallet", "10.00", "currency", "USDC");
    }

    @Override
    protected void prepare(ComputeProvider created) {
        InMemoryProvider p = (InMemoryProvider) created;
        p.onImage("tck/fail", Outcome.exit(3, "scripted failure"));
        p.onImage("tck/hang", Outcome.hangRunning());
        p.onImage("tck/queued", Outcome.hang());
        p.onImage("tck/logging", Outcome.succeed().printing(LOG_LINES.toArray(String[]::new)));
    }

    @Override
    protected JobSpec succeedingJob() {
        return job("tck/succeed");
    }

    @Override
    protected JobSpec failingJob() {
        return job("tck/fail");
    }

    @Override
    protected JobSpec hangingJob() {
        return job("tck/hang");
    }

    @Override
    protected Optional<JobSpec> queuedJob() {
        return Optional.of(job("tck/queued"));
    }

    @Override
    protected Optional<JobSpec> loggingJob() {
        return Optional.of(job("tck/logging"));
    }

    private static JobSpec job(String image) {
        return JobSpec.builder().image(image + ":1").build();
    }
}
