package io.cortex.core.json;

import static io.cortex.core.json.Json.q;
import static io.cortex.core.json.Json.read;
import static io.cortex.core.json.Json.readError;
import static io.cortex.core.json.Json.roundTrip;
import static io.cortex.core.json.Json.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cortex.core.job.ImageRef;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import io.cortex.core.job.Quantity;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.provider.RemoteState;
import io.cortex.core.service.ServiceState;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScalarsJsonTest {

    @Test
    void quantityIsWrittenAsItsCanonicalString() {
        assertThat(write(Quantity.gibibytes(1))).isEqualTo(q("'1Gi'"));
        assertThat(write(Quantity.parse("1.5Gi"))).isEqualTo(q("'1536Mi'"));
        assertThat(write(Quantity.ofBytes(1000))).isEqualTo(q("'1000'"));
        assertThat(write(Quantity.ZERO)).isEqualTo(q("'0'"));
    }

    @Test
    void quantityIsReadFromStringOrIntegerBytes() {
        assertThat(read(q("'10G'"), Quantity.class)).isEqualTo(Quantity.ofBytes(10_000_000_000L));
        assertThat(read(q("'512Mi'"), Quantity.class)).isEqualTo(Quantity.mebibytes(512));
        assertThat(read("1073741824", Quantity.class)).isEqualTo(Quantity.gibibytes(1));
        assertThat(roundTrip(Quantity.parse("750k"), Quantity.class)).isEqualTo(Quantity.ofBytes(750_000));
    }

    @Test
    void quantityThatIsNotAQuantityIsRejectedNamingTheValue() {
        assertThat(readError(q("'lots'"), Quantity.class)).contains("\"lots\"", "not a valid quantity");
        assertThat(readError("-5", Quantity.class)).contains("must not be negative");
        assertThat(readError("1.5", Quantity.class)).contains("whole number of bytes");
        assertThat(readError("[]", Quantity.class)).contains("Quantity");
    }

    @Test
    void imageIsAStringAndRoundTrips() {
        ImageRef image = ImageRef.parse("registry.example.com:5000/team/app@sha256:" + "a".repeat(64));

        assertThat(write(image)).isEqualTo("\"" + image + "\"");
        assertThat(roundTrip(image, ImageRef.class)).isEqualTo(image);
        assertThat(roundTrip(ImageRef.parse("busybox"), ImageRef.class)).isEqualTo(ImageRef.parse("busybox"));
    }

    @Test
    void invalidImageIsRejectedNamingTheValue() {
        assertThat(readError(q("'Ubuntu:22.04'"), ImageRef.class))
                .contains("\"Ubuntu:22.04\"", "repository must be lower case");
    }

    @Test
    void identifiersAreStringsAndRoundTrip() {
        JobId job = JobId.of("job_abc-1");
        ProviderId provider = ProviderId.of("akash.network");
        ProviderJobRef ref = ProviderJobRef.of("lease/42");

        assertThat(write(job)).isEqualTo(q("'job_abc-1'"));
        assertThat(write(provider)).isEqualTo(q("'akash.network'"));
        assertThat(write(ref)).isEqualTo(q("'lease/42'"));
        assertThat(roundTrip(job, JobId.class)).isEqualTo(job);
        assertThat(roundTrip(provider, ProviderId.class)).isEqualTo(provider);
        assertThat(roundTrip(ref, ProviderJobRef.class)).isEqualTo(ref);
    }

    @Test
    void invalidIdentifierIsRejectedNamingTheValue() {
        assertThat(readError(q("'Bad Id'"), ProviderId.class)).contains("\"Bad Id\"", "providerId");
        assertThat(readError(q("'42'"), JobId.class)).contains("\"42\"", "jobId");
        assertThat(readError(q("' '"), ProviderJobRef.class)).contains("providerJobRef cannot be blank");
    }

    @ParameterizedTest
    @EnumSource(JobState.class)
    void jobStateIsLowerCaseAndReadIgnoringCase(JobState state) {
        assertThat(write(state)).isEqualTo("\"" + state.wireName() + "\"");
        assertThat(roundTrip(state, JobState.class)).isEqualTo(state);
        assertThat(read("\"" + state.name() + "\"", JobState.class)).isEqualTo(state);
    }

    @ParameterizedTest
    @EnumSource(ProviderStatus.class)
    void providerStatusIsLowerCaseAndReadIgnoringCase(ProviderStatus status) {
        assertThat(write(status)).isEqualTo("\"" + status.wireName() + "\"");
        assertThat(roundTrip(status, ProviderStatus.class)).isEqualTo(status);
        assertThat(read("\"" + status.name() + "\"", ProviderStatus.class)).isEqualTo(status);
    }

    @Test
    void remoteAndServiceStatesAreLowerCaseAndReadIgnoringCase() {
        assertThat(write(RemoteState.LOST)).isEqualTo(q("'lost'"));
        assertThat(read(q("'Succeeded'"), RemoteState.class)).isEqualTo(RemoteState.SUCCEEDED);
        assertThat(write(ServiceState.FAILED)).isEqualTo(q("'failed'"));
        assertThat(read(q("'RUNNING'"), ServiceState.class)).isEqualTo(ServiceState.RUNNING);
    }

    @Test
    void unknownStateIsRejectedListingTheAllowedNames() {
        assertThat(readError(q("'sleeping'"), JobState.class))
                .contains("\"sleeping\"", "[pending, assigned, running, succeeded, failed, cancelled]");
    }

    @Test
    void reasonCodeKeepsItsUpperSnakeName() {
        assertThat(write(ReasonCode.INSUFFICIENT_FUNDS)).isEqualTo(q("'INSUFFICIENT_FUNDS'"));
        for (ReasonCode code : ReasonCode.values()) {
            assertThat(roundTrip(code, ReasonCode.class)).isEqualTo(code);
        }
    }

    @Test
    void stateMapKeysAreLowerCaseAndProviderIdKeysAreTheirValue() {
        Map<JobState, Long> byState = new EnumMap<>(Map.of(JobState.PENDING, 2L, JobState.RUNNING, 1L));
        Map<ProviderId, Integer> byProvider = Map.of(ProviderId.of("akash"), 3);

        assertThat(write(byState)).isEqualTo(q("{'pending':2,'running':1}"));
        assertThat(write(byProvider)).isEqualTo(q("{'akash':3}"));
        assertThat(read(q("{'PENDING':2,'running':1}"), new TypeReference<Map<JobState, Long>>() {})).isEqualTo(byState);
        assertThat(roundTrip(byProvider, new TypeReference<Map<ProviderId, Integer>>() {})).isEqualTo(byProvider);
    }
}
