package io.cortex.provider.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.cortex.core.job.JobSpec;
import io.cortex.core.provider.ProviderFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The kit passes a provider that keeps the contract and fails one that breaks a rule, in the check for that rule. */
class KitCatchesBrokenProvidersTest {

    /** The kit applied to the toy provider; run only through the launcher below. */
    static class ToyContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new ToyProviderFactory();
        }

        @Override
        protected Map<String, String> configuration() {
            return Map.of();
        }

        @Override
        protected JobSpec succeedingJob() {
            return JobSpec.builder().image("tck/ok:1").build();
        }

        @Override
        protected JobSpec failingJob() {
            return JobSpec.builder().image("tck/fail:1").build();
        }

        @Override
        protected JobSpec hangingJob() {
            return JobSpec.builder().image("tck/hang:1").build();
        }
    }

    @AfterEach
    void healTheToy() {
        ToyProviderFactory.BUGS.clear();
    }

    private static List<String> failedChecks(ToyProviderFactory.Bug... bugs) {
        ToyProviderFactory.BUGS.clear();
        ToyProviderFactory.BUGS.addAll(List.of(bugs));
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(ToyContract.class)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsStartedCount()).as("checks run").isGreaterThan(20);
        return summary.getFailures().stream().map(f -> f.getTestIdentifier().getDisplayName().replace("()", "")).sorted().toList();
    }

    @Test
    void providerKeepingTheContractPassesEveryCheck() {
        assertThat(failedChecks()).isEmpty();
    }

    @Test
    void secretInToStringIsCaught() {
        assertThat(failedChecks(ToyProviderFactory.Bug.SECRET_IN_TO_STRING)).containsExactly("noSecretShowsInAnyToStringOrExceptionMessage");
    }

    @Test
    void cancelThatThrowsOnAFinishedJobIsCaught() {
        assertThat(failedChecks(ToyProviderFactory.Bug.CANCEL_NOT_IDEMPOTENT))
                .containsExactlyInAnyOrder("cancelIsIdempotent", "cancelOfAFinishedJobChangesNothing");
    }

    @Test
    void unknownHandleWithoutLostReasonIsCaught() {
        assertThat(failedChecks(ToyProviderFactory.Bug.UNKNOWN_REF_IS_NOT_LOST))
                .containsExactly("statusOfAnUnknownHandleIsAClearError");
    }

    @Test
    void finalStateThatChangesIsCaught() {
        assertThat(failedChecks(ToyProviderFactory.Bug.FINAL_STATE_CHANGES)).contains("submittedJobProgressesToSucceeded");
    }

    @Test
    void submitIgnoringTheCapabilitiesIsCaught() {
        assertThat(failedChecks(ToyProviderFactory.Bug.IGNORES_CAPABILITIES))
                .contains("jobLargerThanTheCapabilitiesIsRefusedWithAReason");
    }
}
