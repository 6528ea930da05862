package io.cortex.server.internal;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.core.Cortex;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.JobState;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.store.JobQuery;
import io.cortex.server.Scope;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/** {@code /api/plugin-core/jobs…}: submit (idempotent), list, read, update, resubmit, cancel, diagnose. */
final class JobRoutes {
    static final String JOBS = "/api/plugin-core/jobs";
    private static final String JOB = JOBS + "/{jobId}";
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern GOOD_IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final long REPLAY_WAIT_SECONDS = 30;

    private final Settings settings;
    private final Cortex cortex;
    private final IdempotencyCache idempotency;

    JobRoutes(Settings settings) {
        this.settings = settings;
        this.cortex = settings.cortex();
        this.idempotency = new IdempotencyCache(settings.idempotencyMaxKeys(), settings.idempotencyMaxAge());
    }

    void register(Router r) {
        r.route(POST, JOBS, Scope.WRITE, this::submit);
        r.route(GET, JOBS, Scope.READ, this::list);
        r.route(GET, JOB, Scope.READ, c -> c.json(200, Views.job(cortex.job(c.jobId()))));
        r.route(PUT, JOB, Scope.WRITE, this::updateResources);
        r.route(GET, JOB + "/events", Scope.READ, c -> c.json(200, cortex.events(c.jobId())));
        r.route(GET, JOB + "/logs", Scope.READ, this::logs);
        r.route(POST, JOB + "/resubmit", Scope.WRITE, this::resubmit);
        r.route(POST, JOB + "/cancel", Scope.WRITE, c -> c.json(200, Views.job(cortex.cancel(c.jobId()))));
        r.route(GET, JOB + "/diagnosis", Scope.READ, c -> c.json(200, cortex.diagnose(c.jobId())));
    }

    private void submit(Call c) throws InterruptedException {
        String key = c.header(IDEMPOTENCY_KEY);
        if (key != null && !GOOD_IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw Problem.invalid(IDEMPOTENCY_KEY, "format", IDEMPOTENCY_KEY + " must be 1 to 255 visible ASCII characters");
        }
        JsonNode body = c.jsonObject(true);
        JobSpec spec = c.convert(body, JobSpec.class);
        if (key == null) {
            created(c, cortex.submit(spec));
            return;
        }
        String fingerprint = Fingerprint.of(body);
        String slotKey = c.key().id() + '\n' + key;
        for (int round = 0; round < 5; round++) {
            IdempotencyCache.Claim claim = idempotency.claim(slotKey, fingerprint, settings.clock().instant());
            if (!claim.slot().fingerprint().equals(fingerprint)) {
                String m = IDEMPOTENCY_KEY + " '" + key + "' was used with another request body; use a new key for a new job";
                throw Problem.of(422, Problem.Type.IDEMPOTENCY_MISMATCH, m)
                        .withErrors(List.of(new Problem.FieldError(IDEMPOTENCY_KEY, "same-body", m)));
            }
            if (claim.owner()) {
                Job job;
                try {
                    job = cortex.submit(spec);
                } catch (RuntimeException e) {
                    idempotency.release(slotKey, claim.slot(), e);
                    throw e;
                }
                idempotency.complete(claim.slot(), job.id().value());
                c.responseHeader(IDEMPOTENCY_KEY, key);
                created(c, job);
                return;
            }
            String jobId;
            try {
                jobId = claim.slot().result().get(REPLAY_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                continue; // the first request failed: claim again
            } catch (TimeoutException e) {
                throw Problem.of(503, Problem.Type.UNAVAILABLE, "the first request with " + IDEMPOTENCY_KEY + " '" + key
                        + "' is still being processed; retry later").header("Retry-After", "1");
            }
            Optional<Job> job = cortex.findJob(JobId.of(jobId));
            if (job.isEmpty()) {
                idempotency.release(slotKey, claim.slot(), null); // dropped by retention: start afresh
                continue;
            }
            c.responseHeader(IDEMPOTENCY_KEY, key).responseHeader("Idempotent-Replayed", "true")
                    .responseHeader("Location", JOBS + "/" + jobId);
            c.json(200, Views.job(job.get()));
            return;
        }
        throw Problem.of(503, Problem.Type.UNAVAILABLE, "could not settle " + IDEMPOTENCY_KEY + " '" + key + "'; retry")
                .header("Retry-After", "1");
    }

    private static void created(Call c, Job job) {
        c.responseHeader("Location", JOBS + "/" + job.id().value());
        c.json(201, Views.job(job));
    }

    private void list(Call c) {
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        for (String raw : c.queries("state")) {
            for (String s : raw.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                try {
                    states.add(JobState.valueOf(s.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw Problem.invalid("state", "format", "state '" + s.trim() + "' is not one of "
                            + java.util.Arrays.stream(JobState.values()).map(JobState::wireName).toList());
                }
            }
        }
        ProviderId provider = null;
        String p = c.query("provider");
        if (p != null) {
            try {
                provider = ProviderId.of(p);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("provider", "format", String.valueOf(e.getMessage()));
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String l : c.queries("label")) {
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw Problem.invalid("label", "format", "label '" + l + "' must be key:value");
            }
            labels.put(l.substring(0, colon), l.substring(colon + 1));
        }
        int offset = (int) c.longQuery("offset", 0, 0, Integer.MAX_VALUE);
        int limit = (int) c.longQuery("limit", 100, 1, JobQuery.MAX_LIMIT);
        c.json(200, Views.jobs(cortex.jobs(new JobQuery(states, provider, labels, offset, limit))));
    }

    private void updateResources(Call c) {
        JobId id = c.jobId();
        cortex.job(id); // 404 before 400
        Resources resources = c.convert(c.jsonObject(true), Resources.class);
        c.json(200, Views.job(cortex.updateResources(id, resources)));
    }

    private void logs(Call c) {
        JobId id = c.jobId();
        long after = c.longQuery("after", -1, -1, Long.MAX_VALUE);
        int limit = (int) c.longQuery("limit", 1000, 1, 10_000);
        c.json(200, cortex.logs(id, after, limit));
    }

    private void resubmit(Call c) {
        JobId id = c.jobId();
        cortex.job(id); // 404 before 400
        JsonNode body = c.jsonObject(false);
        ProviderId provider = null;
        if (body != null) {
            Bodies.allowOnly(body, "provider");
            String p = Bodies.text(body, "provider", false);
            if (p != null) {
                try {
                    provider = ProviderId.of(p);
                } catch (IllegalArgumentException e) {
                    throw Problem.invalid("provider", "format", String.valueOf(e.getMessage()));
                }
            }
        }
        c.json(200, Views.job(cortex.resubmit(id, provider)));
    }
}
