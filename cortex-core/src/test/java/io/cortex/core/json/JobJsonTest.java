package io.cortex.core.json;

import static io.cortex.core.json.Json.q;
import static io.cortex.core.json.Json.read;
import static io.cortex.core.json.Json.readError;
import static io.cortex.core.json.Json.roundTrip;
import static io.cortex.core.json.Json.tree;
import static io.cortex.core.json.Json.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.job.Attempt;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.PlacementNote;
import io.cortex.core.job.Quantity;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.ProviderJobRef;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobJsonTest {

    // ---- Resources -------------------------------------------------------------------------------

    @Test
    void resourcesRoundTripWithGpus() {
        Resources resources = new Resources(1500, Quantity.parse("1.5Gi"), Quantity.ZERO, 2);

        assertThat(roundTrip(resources, Resources.class)).isEqualTo(resources);
    }

    @Test
    void resourcesWithoutGpusReadAsZeroGpus() {
        assertThat(read(q("{'cpu':500,'memory':'512Mi','storage':'1Gi'}"), Resources.class))
                .isEqualTo(Resources.of(500, "512Mi", "1Gi"));
    }

    @Test
    void resourcesMissingARequiredFieldNameIt() {
        assertThat(readError(q("{'cpu':500,'storage':'1Gi'}"), Resources.class))
                .contains("Missing required field \"memory\"");
        assertThat(readError(q("{'memory':'1Gi','storage':'1Gi'}"), Resources.class))
                .contains("Missing required field \"cpu\"");
    }

    @Test
    void resourcesOutOfRangeAreRejectedNamingTheField() {
        assertThat(readError(q("{'cpu':0,'memory':'1Gi','storage':'1Gi'}"), Resources.class))
                .contains("cpu must be at least 1 millicore, got 0");
        assertThat(readError(q("{'cpu':1,'memory':'1Gi','storage':'1Gi','gpus':-1}"), Resources.class))
                .contains("gpus must not be negative, got -1");
    }

    // ---- JobSpec ---------------------------------------------------------------------------------

    @Test
    void jobSpecRoundTripsEveryField() {
        JobSpec spec = Samples.fullSpec();

        JobSpec back = roundTrip(spec, JobSpec.class);

        assertThat(back).isEqualTo(spec);
        assertThat(back.env()).containsExactlyEntriesOf(spec.env());
        assertThat(back.constraints().preferred()).containsExactlyElementsOf(spec.constraints().preferred());
        assertThat(back.rerunOnProviderLoss()).isFalse();
    }

    @Test
    void jobSpecIsWrittenWithEveryFieldByName() {
        JsonNode json = tree(Samples.fullSpec());

        assertThat(json.fieldNames()).toIterable().containsExactly("image", "command", "env", "resources",
                "maxRunTime", "maxPrice", "labels", "constraints", "maxAttempts", "rerunOnProviderLoss");
        assertThat(json.get("image").asText()).isEqualTo("ghcr.io/acme/train:1.2");
        assertThat(json.get("maxRunTime").asText()).isEqualTo("PT1H30M");
        assertThat(json.get("maxPrice").isTextual()).isTrue();
        assertThat(json.get("maxPrice").asText()).isEqualTo("2.50");
        assertThat(json.get("constraints").toString())
                .isEqualTo(q("{'allow':['akash','local-1'],'deny':['flaky'],'preferred':['local-1','akash']}"));
    }

    @Test
    void jobSpecWithoutLimitsOmitsThem() {
        JsonNode json = tree(JobSpec.builder().image("busybox").build());

        assertThat(json.has("maxRunTime")).isFalse();
        assertThat(json.has("maxPrice")).isFalse();
    }

    @Test
    void jobSpecFromImageAloneTakesTheBuilderDefaults() {
        JobSpec spec = read(q("{'image':'busybox'}"), JobSpec.class);

        assertThat(spec).isEqualTo(JobSpec.builder().image("busybox").build());
        assertThat(spec.resources()).isEqualTo(Resources.DEFAULT);
        assertThat(spec.maxAttempts()).isEqualTo(JobSpec.DEFAULT_MAX_ATTEMPTS);
        assertThat(spec.rerunOnProviderLoss()).isTrue();
    }

    @Test
    void jobSpecWithInvalidQuantityNamesTheFieldAndValue() {
        String message = readError(q("{'image':'busybox','resources':{'cpu':1000,'memory':'lots','storage':'10Gi'}}"),
                JobSpec.class);

        assertThat(message).contains("memory 'lots' is not a valid quantity", "\"lots\"",
                "JobSpec[\"resources\"]->io.cortex.core.job.Resources[\"memory\"]");
    }

    @Test
    void jobSpecWithInvalidImageNamesTheFieldAndValue() {
        String message = readError(q("{'image':'Ubuntu:22.04'}"), JobSpec.class);

        assertThat(message).contains("image 'Ubuntu:22.04' is not a valid image reference",
                "repository must be lower case", "JobSpec[\"image\"]");
    }

    @Test
    void jobSpecWithoutImageNamesTheMissingField() {
        assertThat(readError(q("{'command':['echo']}"), JobSpec.class)).contains("Missing required field \"image\"");
    }

    @Test
    void jobSpecBuilderValidationErrorsNameTheField() {
        assertThat(readError(q("{'image':'busybox','maxAttempts':0}"), JobSpec.class))
                .contains("Invalid field \"maxAttempts\"", "maxAttempts must be between 1 and 100, got 0");
        assertThat(readError(q("{'image':'busybox','env':{'1BAD':'x'}}"), JobSpec.class))
                .contains("Invalid field \"env\"", "env name '1BAD'");
        assertThat(readError(q("{'image':'busybox','labels':{'-bad-':'x'}}"), JobSpec.class))
                .contains("Invalid field \"labels\"", "label key '-bad-'");
        assertThat(readError(q("{'image':'busybox','maxPrice':'-1'}"), JobSpec.class))
                .contains("Invalid field \"maxPrice\"", "maxPrice must not be negative, got -1");
        assertThat(readError(q("{'image':'busybox','maxRunTime':'PT0S'}"), JobSpec.class))
                .contains("Invalid field \"maxRunTime\"", "maxRunTime must be positive");
        assertThat(readError(q("{'image':'busybox','constraints':{'allow':['Bad Id']}}"), JobSpec.class))
                .contains("\"Bad Id\"", "JobSpec[\"constraints\"]");
    }

    @Test
    void jobSpecAllowingAndDenyingOneProviderIsRejected() {
        assertThat(readError(q("{'image':'busybox','constraints':{'allow':['akash'],'deny':['akash']}}"), JobSpec.class))
                .contains("provider akash cannot be both allowed and denied", "JobSpec[\"constraints\"]");
    }

    @Test
    void unknownNestedFieldIsRejectedWithItsPath() {
        assertThat(readError(q("{'image':'busybox','constraints':{'alow':['akash']}}"), JobSpec.class))
                .contains("Unrecognized field \"alow\"", "JobSpec[\"constraints\"]");
        assertThat(readError(q("{'image':'busybox','resources':{'cpu':1,'memory':'1Gi','storage':'1Gi','gpu':1}}"),
                JobSpec.class)).contains("Unrecognized field \"gpu\"");
    }

    // ---- Attempt, PlacementNote, JobEvent ---------------------------------------------------------

    @Test
    void openAttemptRoundTripsWithoutDerivedFields() {
        Attempt attempt = Attempt.begin(1, Samples.AKASH, Samples.T0);

        String json = write(attempt);

        assertThat(json).isEqualTo(q("{'number':1,'provider':'akash','assignedAt':'2025-03-01T10:15:30.123456789Z','cost':'0'}"));
        assertThat(read(json, Attempt.class)).isEqualTo(attempt);
    }

    @Test
    void endedAttemptRoundTrips() {
        Attempt attempt = new Attempt(2, Samples.LOCAL, ProviderJobRef.of("pid-9"), Samples.at(1), Samples.at(2),
                Samples.at(3), ReasonCode.JOB_FAILED, new BigDecimal("0.0300"));

        assertThat(roundTrip(attempt, Attempt.class)).isEqualTo(attempt);
    }

    @Test
    void placementNoteRoundTrips() {
        PlacementNote note = Samples.notes().get(1);

        assertThat(write(note)).isEqualTo(q("{'provider':'local-1','reason':'RESOURCES_EXCEED_CAPABILITIES',"
                + "'detail':'memory 1.5Gi exceeds maxMemory 1Gi'}"));
        assertThat(roundTrip(note, PlacementNote.class)).isEqualTo(note);
    }

    @Test
    void jobEventRoundTripsWithPlacementNotes() {
        JobEvent event = Job.create(Samples.JOB_ID, Samples.fullSpec(), Samples.T0).job()
                .assign(Samples.AKASH, Samples.at(1), Samples.notes()).event();

        JsonNode json = tree(event);

        assertThat(json.get("from").asText()).isEqualTo("pending");
        assertThat(json.get("to").asText()).isEqualTo("assigned");
        assertThat(json.get("type").asText()).isEqualTo("STATE_CHANGED");
        assertThat(json.get("placement")).hasSize(2);
        assertThat(json.has("transition")).isFalse();
        assertThat(roundTrip(event, JobEvent.class)).isEqualTo(event);
    }

    @Test
    void theEnginesStandardWordsAreWrittenAndReadBackAsTheSameEvent() {
        Job assigned = Job.create(Samples.JOB_ID, Samples.fullSpec(), Samples.T0).job()
                .assign(Samples.AKASH, Samples.at(1), List.of()).job();
        Job.Change started = assigned.start(Samples.at(2), null);
        JobEvent placed = Job.create(Samples.JOB_ID, Samples.fullSpec(), Samples.T0).job()
                .assign(Samples.AKASH, Samples.at(1), List.of()).event();

        assertThat(placed.message()).isEqualTo("placed on akash (attempt 1)");
        assertThat(started.event().message()).isEqualTo("started on akash");
        assertThat(started.job().lastMessage()).isEqualTo("started on akash");
        assertThat(tree(placed).get("message").asText()).isEqualTo("placed on akash (attempt 1)");
        assertThat(roundTrip(placed, JobEvent.class)).isEqualTo(placed);
        assertThat(roundTrip(started.job(), Job.class).lastMessage()).isEqualTo("started on akash");
        JobEvent sameWords = new JobEvent(placed.jobId(), placed.version(), placed.type(), placed.from(), placed.to(),
                placed.reason(), "placed on akash (attempt 1)", placed.provider(), placed.attempt(), placed.timestamp(),
                placed.placement());
        assertThat(sameWords).isEqualTo(placed).hasSameHashCodeAs(placed);
        assertThat(sameWords.toString()).contains("message=placed on akash (attempt 1)");
    }

    @Test
    void anEventWithoutWordsIsRefusedUnlessItIsAStandardOne() {
        JobEvent placed = Job.create(Samples.JOB_ID, Samples.fullSpec(), Samples.T0).job()
                .assign(Samples.AKASH, Samples.at(1), List.of()).event();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JobEvent(placed.jobId(), placed.version(),
                        JobEvent.Type.STATE_CHANGED, JobState.PENDING, JobState.FAILED, ReasonCode.JOB_FAILED, null, null, 0,
                        placed.timestamp(), List.of()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("message");
    }

    @Test
    void submittedEventWithoutFromStateRoundTrips() {
        JobEvent event = Job.create(Samples.JOB_ID, Samples.fullSpec(), Samples.T0).event();

        assertThat(tree(event).has("from")).isFalse();
        assertThat(roundTrip(event, JobEvent.class)).isEqualTo(event);
    }

    // ---- Job -------------------------------------------------------------------------------------

    @Test
    void jobRoundTripsFieldByField() {
        Job job = Samples.runningJob();

        Job back = roundTrip(job, Job.class);

        assertThat(back).usingRecursiveComparison().isEqualTo(job);
        assertThat(back.spec()).isEqualTo(job.spec());
        assertThat(back.attempts()).isEqualTo(job.attempts());
        assertThat(back.state()).isEqualTo(JobState.RUNNING);
        assertThat(back.version()).isEqualTo(job.version());
        assertThat(back.provider()).isEqualTo(job.provider());
        assertThat(back.attemptsLeft()).isEqualTo(job.attemptsLeft());
        assertThat(back.spent()).isEqualTo(job.spent());
    }

    @Test
    void resubmittedJobKeepsItsPinAndRetryBudgetStart() {
        Job job = Samples.resubmittedJob();

        Job back = roundTrip(job, Job.class);

        assertThat(back).usingRecursiveComparison().isEqualTo(job);
        assertThat(back.pinnedProvider()).contains(Samples.LOCAL);
        assertThat(back.budgetStart()).isEqualTo(1);
        assertThat(back.attemptsLeft()).isEqualTo(job.attemptsLeft());
    }

    @Test
    void jobIsWrittenWithEveryPublicRead() {
        Job job = Samples.runningJob();

        JsonNode json = tree(job);

        assertThat(json.fieldNames()).toIterable().containsExactly("id", "spec", "state", "version", "attempt",
                "attempts", "provider", "createdAt", "updatedAt", "lastReason", "lastMessage", "attemptsLeft",
                "attemptsUsed", "spent", "budgetStart");
        assertThat(json.get("id").asText()).isEqualTo("job_01hx3k9q2m4f");
        assertThat(json.get("state").asText()).isEqualTo("running");
        assertThat(json.get("version").asLong()).isEqualTo(job.version());
        assertThat(json.get("attempt").asInt()).isEqualTo(2);
        assertThat(json.get("provider").asText()).isEqualTo("akash");
        assertThat(json.get("lastReason").asText()).isEqualTo("STARTED");
        assertThat(json.get("attemptsLeft").asInt()).isEqualTo(job.attemptsLeft());
        assertThat(json.get("spent").asText()).isEqualTo("0.10");
        assertThat(json.get("createdAt").asText()).isEqualTo("2025-03-01T10:15:30.123456789Z");
    }

    @Test
    void jobDerivedFieldsAreIgnoredOnRead() {
        JsonNode json = tree(Samples.runningJob());
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("attemptsLeft", 99).put("spent", "1000");

        Job back = read(json.toString(), Job.class);

        assertThat(back.attemptsLeft()).isEqualTo(Samples.runningJob().attemptsLeft());
        assertThat(back.spent()).isEqualTo(new BigDecimal("0.10"));
    }

    @Test
    void jobWithoutAStoredFieldIsRejectedNamingIt() {
        assertThat(readError(q("{'id':'job_x','spec':{'image':'busybox'},'state':'pending','createdAt':'2025-01-01T00:00:00Z',"
                + "'updatedAt':'2025-01-01T00:00:00Z','lastReason':'SUBMITTED'}"), Job.class))
                .contains("Missing required field \"version\"");
        assertThat(readError(q("{'id':'job_x','spec':{'image':'busybox'},'state':'pending','version':0,"
                + "'createdAt':'2025-01-01T00:00:00Z','updatedAt':'2025-01-01T00:00:00Z','lastReason':'SUBMITTED'}"),
                Job.class)).contains("version must be at least 1, got 0");
    }

    @Test
    void jobWithAttemptsOfDifferentShapesRoundTrips() {
        List<Job> jobs = List.of(Samples.runningJob(), Samples.resubmittedJob(),
                Job.create(Samples.JOB_ID, JobSpec.builder().image("busybox").build(), Samples.T0).job());

        for (Job job : jobs) {
            assertThat(roundTrip(job, Job.class)).usingRecursiveComparison().isEqualTo(job);
        }
    }
}
