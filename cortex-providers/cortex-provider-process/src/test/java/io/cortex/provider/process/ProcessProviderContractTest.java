package io.cortex.provider.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.core.job.JobSpec;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderFactory;
import io.cortex.provider.tck.ProviderContractTest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The process provider keeps the provider contract, with real processes. */
class ProcessProviderContractTest extends ProviderContractTest {

    @Override
    protected ProviderFactory factory() {
        return new ProcessProviderFactory();
    }

    @Override
    protected Map<String, String> configuration() {
        return Map.of("cpu", "64000", "memory", "64Gi", "killGracePeriod", "PT0.5S");
    }

    @Override
    protected JobSpec succeedingJob() {
        return job("sh", "-c", "exit 0");
    }

    @Override
    protected JobSpec failingJob() {
        return job("sh", "-c", "exit 3");
    }

    @Override
    protected JobSpec hangingJob() {
        return job("sleep", "60");
    }

    @Override
    protected Optional<JobSpec> loggingJob() {
        List<String> command = new ArrayList<>(List.of("printf", "%s\\n"));
        command.addAll(LOG_LINES);
        return Optional.of(JobSpec.builder().image("local/printf:1").command(command).build());
    }

    @Override
    protected void assertReleased(ComputeProvider closed) {
        ProcessProvider p = (ProcessProvider) closed;
        assertThat(p.runningJobs()).as("jobs running after close").isZero();
        assertThat(Files.exists(p.workRoot())).as("work directory %s exists after close", p.workRoot()).isFalse();
    }

    private static JobSpec job(String... command) {
        return JobSpec.builder().image("local/shell:1").command(command).build();
    }
}
