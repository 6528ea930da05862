package com.example.cortex.plugin;

import io.cortex.core.job.JobSpec;
import io.cortex.core.provider.ProviderFactory;
import io.cortex.provider.tck.ProviderContractTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The sample plugin passes the provider contract test kit. */
class AcmeProviderContractTest extends ProviderContractTest {

    @Override
    protected ProviderFactory factory() {
        return new AcmeProviderFactory();
    }

    @Override
    protected Map<String, String> configuration() {
        return Map.of("runTime", "20", "initialBalance", "100");
    }

    @Override
    protected JobSpec succeedingJob() {
        return job("run");
    }

    @Override
    protected JobSpec failingJob() {
        return job("fail", "3");
    }

    @Override
    protected JobSpec hangingJob() {
        return job("hang");
    }

    @Override
    protected Optional<JobSpec> queuedJob() {
        return Optional.of(job("wait-in-queue"));
    }

    @Override
    protected Optional<JobSpec> loggingJob() {
        List<String> command = new ArrayList<>(List.of("echo"));
        command.addAll(LOG_LINES);
        return Optional.of(JobSpec.builder().image("acme/tck:1").command(command).build());
    }

    private static JobSpec job(String... command) {
        return JobSpec.builder().image("acme/tck:1").command(command).build();
    }
}
