package io.cortex.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.json.CortexJson;

/** Data builders and JSON for the WireMock tests. */
final class Fixtures {
    static final String API_KEY = "ck_live_S3CR3T-key-value";
    static final JobId JOB_ID = JobId.of("job_01hx3k9q2m4f");

    private Fixtures() {}

    static JobSpec aSpec() {
        return JobSpec.builder().image("alpine:3.20").command("echo", "hello").resources(500, "256Mi", "1Gi").build();
    }

    static Job aJob() {
        return Job.create(JOB_ID, aSpec(), FakeTime.T0).job();
    }

    /** {@code value} as the server would write it. */
    static String json(Object value) {
        try {
            return CortexJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A problem+json body. */
    static String problem(String type, int status, String detail) {
        return "{\"type\":\"https://cortex.io/problems/" + type + "\",\"title\":\"" + type + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"instance\":\"/api/x\",\"requestId\":\"req_" + status + "\"}";
    }
}
