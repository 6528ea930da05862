package io.cortex.core.json;

import static io.cortex.core.json.Json.q;
import static io.cortex.core.json.Json.read;
import static io.cortex.core.json.Json.roundTrip;
import static io.cortex.core.json.Json.tree;
import static io.cortex.core.json.Json.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.EngineMetrics;
import io.cortex.core.diagnostics.Diagnosis;
import io.cortex.core.diagnostics.Finding;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.event.EventTypes;
import io.cortex.core.event.ProviderChange;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.ProviderStatus;
import io.cortex.core.service.ServiceInfo;
import io.cortex.core.service.ServiceState;
import io.cortex.core.store.Page;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineJsonTest {
    private static final ProviderChange WENT_OFFLINE = new ProviderChange(Samples.AKASH, ProviderStatus.ONLINE,
            ProviderStatus.OFFLINE, ReasonCode.PROVIDER_OFFLINE, "3 failed health checks", Samples.T0);

    @Test
    void providerChangeRoundTrips() {
        assertThat(write(WENT_OFFLINE)).isEqualTo(q("{'provider':'akash','from':'online','to':'offline',"
                + "'reason':'PROVIDER_OFFLINE','message':'3 failed health checks','timestamp':'2025-03-01T10:15:30.123456789Z'}"));
        assertThat(roundTrip(WENT_OFFLINE, ProviderChange.class)).isEqualTo(WENT_OFFLINE);
    }

    @Test
    void providerEventRoundTripsWithoutAJobPart() {
        CortexEvent event = CortexEvent.of("evt_p_1", EventTypes.PROVIDER_STATUS_CHANGED, WENT_OFFLINE);

        JsonNode json = tree(event);

        assertThat(json.has("job")).isFalse();
        assertThat(json.get("type").asText()).isEqualTo("provider.status.changed");
        assertThat(roundTrip(event, CortexEvent.class)).isEqualTo(event);
    }

    @Test
    void jobEventRoundTripsWithTheJobSnapshotAndHistoryEntry() {
        Job.Change change = Samples.runningJob().cancel("stop", Samples.at(9));
        CortexEvent event = CortexEvent.of(change.job(), change.event());

        CortexEvent back = roundTrip(event, CortexEvent.class);

        assertThat(tree(event).has("provider")).isFalse();
        assertThat(back.id()).isEqualTo(event.id());
        assertThat(back.type()).isEqualTo(EventTypes.JOB_STATUS_CHANGED);
        assertThat(back.timestamp()).isEqualTo(event.timestamp());
        assertThat(back.job().event()).isEqualTo(change.event());
        assertThat(back.job().job()).usingRecursiveComparison().isEqualTo(change.job());
    }

    @Test
    void jobChangeRoundTrips() {
        Job.Change change = Samples.resubmittedJob().repin(null, Samples.at(20));
        CortexEvent.JobChange jobChange = new CortexEvent.JobChange(change.job(), change.event());

        CortexEvent.JobChange back = roundTrip(jobChange, CortexEvent.JobChange.class);

        assertThat(back.event()).isEqualTo(change.event());
        assertThat(back.job()).usingRecursiveComparison().isEqualTo(change.job());
    }

    @Test
    void diagnosisRoundTripsWithItsFindings() {
        Diagnosis diagnosis = new Diagnosis(Samples.JOB_ID, JobState.PENDING, "no provider can run it now",
                List.of(new Finding(Finding.Severity.BLOCKING, ReasonCode.INSUFFICIENT_FUNDS, "akash",
                                "wallet holds 0.50 USDC, job costs 1.20", ReasonCode.INSUFFICIENT_FUNDS.suggestedAction()),
                        new Finding(Finding.Severity.INFO, ReasonCode.NO_PROVIDER, null, "one provider configured", "add one")),
                Samples.T0);

        JsonNode json = tree(diagnosis);

        assertThat(json.get("state").asText()).isEqualTo("pending");
        assertThat(json.get("findings").get(0).get("severity").asText()).isEqualTo("BLOCKING");
        assertThat(json.get("findings").get(1).has("provider")).isFalse();
        assertThat(roundTrip(diagnosis, Diagnosis.class)).isEqualTo(diagnosis);
    }

    @Test
    void serviceInfoRoundTripsWithLowerCaseState() {
        ServiceInfo failed = new ServiceInfo("metrics", "collects metrics", ServiceState.FAILED, Samples.T0,
                Samples.at(-5), 120, 1, "OutOfMemoryError");
        ServiceInfo idle = new ServiceInfo("scheduler", "places jobs", ServiceState.STOPPED, Samples.T0, null, 0, 0, null);

        assertThat(tree(failed).get("state").asText()).isEqualTo("failed");
        assertThat(roundTrip(failed, ServiceInfo.class)).isEqualTo(failed);
        assertThat(roundTrip(idle, ServiceInfo.class)).isEqualTo(idle);
    }

    @Test
    void operatorLogRecordRoundTrips() {
        OperatorLogRecord record = new OperatorLogRecord(7, Samples.T0, OperatorLogRecord.Level.WARN, "provider-auth",
                "akash", "job_01hx3k9q2m4f", "AUTH_FAILED", "token refresh failed");
        OperatorLogRecord bare = new OperatorLogRecord(8, Samples.T0, OperatorLogRecord.Level.INFO, "scheduler",
                null, null, null, "tick");

        assertThat(tree(record).get("level").asText()).isEqualTo("WARN");
        assertThat(roundTrip(record, OperatorLogRecord.class)).isEqualTo(record);
        assertThat(write(bare)).doesNotContain("provider", "jobId", "reason");
        assertThat(roundTrip(bare, OperatorLogRecord.class)).isEqualTo(bare);
    }

    @Test
    void engineMetricsRoundTripWithStateKeysLowerCase() {
        EngineMetrics metrics = new EngineMetrics(Samples.T0, Map.of(JobState.PENDING, 4L, JobState.RUNNING, 2L), 10, 3, 1,
                0, 12, Map.of(ReasonCode.PROVIDER_OFFLINE, 2L), 40, 1);

        JsonNode json = tree(metrics);

        assertThat(json.get("jobsByState").get("pending").asLong()).isEqualTo(4);
        assertThat(json.get("failovers").get("PROVIDER_OFFLINE").asLong()).isEqualTo(2);
        assertThat(roundTrip(metrics, EngineMetrics.class)).isEqualTo(metrics);
    }

    @Test
    void pageHasItsItemsBoundsAndHasMore() {
        Page<String> page = new Page<>(List.of("a", "b"), 0, 100, 5);

        assertThat(write(page)).isEqualTo(q("{'items':['a','b'],'offset':0,'limit':100,'total':5,'hasMore':true}"));
        assertThat(write(new Page<>(List.of(), 0, 100, 0)))
                .isEqualTo(q("{'items':[],'offset':0,'limit':100,'total':0,'hasMore':false}"));
    }

    @Test
    void pageOfLogLinesRoundTripsWithTypedItems() {
        Page<LogLine> page = new Page<>(List.of(new LogLine(0, Samples.T0, "stdout", "hello")), 0, 100, 5);

        Page<LogLine> back = roundTrip(page, new TypeReference<Page<LogLine>>() {});

        assertThat(back).isEqualTo(page);
        assertThat(back.items().get(0)).isInstanceOf(LogLine.class);
    }

    @Test
    void pageOfJobsRoundTrips() {
        Page<Job> page = new Page<>(List.of(Samples.runningJob(), Samples.resubmittedJob()), 10, 2, 12);

        Page<Job> back = read(write(page), new TypeReference<Page<Job>>() {});

        assertThat(back.items()).hasSize(2);
        assertThat(back.items().get(0)).usingRecursiveComparison().isEqualTo(page.items().get(0));
        assertThat(back.items().get(1)).usingRecursiveComparison().isEqualTo(page.items().get(1));
        assertThat(back.offset()).isEqualTo(10);
        assertThat(back.total()).isEqualTo(12);
        assertThat(back.hasMore()).isFalse();
    }
}
