package io.cortex.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cortex.client.internal.ApiRequest;
import io.cortex.client.internal.Preconditions;
import io.cortex.client.internal.Readers;
import io.cortex.client.internal.ResponseReader;
import io.cortex.client.internal.Transport;
import io.cortex.core.diagnostics.Diagnosis;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.Resources;
import io.cortex.core.provider.LogLine;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.Page;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The job endpoints, {@code /api/plugin-core/jobs…}: submit, list, read, update the resources of,
 * resubmit, cancel and diagnose jobs, and read their events and logs. Obtained from
 * {@link CortexClient#jobs()}; thread-safe.
 *
 * <p>Each method has an {@code …Async} twin that returns at once with a {@link CompletableFuture},
 * completed with the same value, or exceptionally with the same {@link CortexApiException}, as the
 * blocking method would return or throw. Dependent stages added without an executor run on the
 * client's I/O threads: use the {@code …Async} stage methods with your own executor for slow work.
 */
public final class JobsApi {
    private static final String JOBS = "api/plugin-core/jobs";
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private final Transport transport;
    private final ResponseReader<Job> job;
    private final ResponseReader<Page<Job>> jobPage;
    private final ResponseReader<List<JobEvent>> events;
    private final ResponseReader<List<LogLine>> logLines;
    private final ResponseReader<Diagnosis> diagnosis;

    JobsApi(Transport transport) {
        this.transport = transport;
        Readers readers = new Readers(transport.mapper());
        this.job = readers.of(Job.class);
        this.jobPage = readers.of(new TypeReference<Page<Job>>() {});
        this.events = readers.of(new TypeReference<List<JobEvent>>() {});
        this.logLines = readers.of(new TypeReference<List<LogLine>>() {});
        this.diagnosis = readers.of(Diagnosis.class);
    }

    /**
     * A fresh idempotency key, as {@link #submit(JobSpec)} makes for each call. Keep one to submit the
     * same job again later (after a crash, say) with {@link #submit(JobSpec, String)}.
     *
     * @return a random key
     */
    public static String newIdempotencyKey() {
        return UUID.randomUUID().toString();
    }

    /**
     * Submits a job ({@code POST /api/plugin-core/jobs}) under a fresh {@code Idempotency-Key}: every
     * attempt of this call sends the same key, so a submit retried after a lost answer still creates one
     * job.
     *
     * @param spec what to run
     * @return the job as created (state {@code PENDING} or later)
     * @throws NullPointerException when {@code spec} is null
     * @throws CortexApiException when the call fails, e.g. {@link ValidationException} for a spec the
     *     server rejects
     */
    public Job submit(JobSpec spec) {
        return submit(spec, newIdempotencyKey());
    }

    /**
     * Submits a job under the caller's {@code Idempotency-Key}: the server creates at most one job per
     * key, and answers a repeat with the job it made.
     *
     * @param spec what to run
     * @param idempotencyKey the key, printable ASCII, at most 255 characters
     * @return the job as created, or as created by an earlier call with the same key
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the key is blank, too long or not printable ASCII
     * @throws CortexApiException when the call fails; {@link ConflictException} when the key was used
     *     with another spec
     */
    public Job submit(JobSpec spec, String idempotencyKey) {
        return submitRequest(spec, idempotencyKey).call(job);
    }

    /**
     * {@link #submit(JobSpec)} without waiting.
     *
     * @param spec what to run
     * @return the job as created
     * @throws NullPointerException when {@code spec} is null
     */
    public CompletableFuture<Job> submitAsync(JobSpec spec) {
        return submitAsync(spec, newIdempotencyKey());
    }

    /**
     * {@link #submit(JobSpec, String)} without waiting.
     *
     * @param spec what to run
     * @param idempotencyKey the key
     * @return the job as created
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the key is blank, too long or not printable ASCII
     */
    public CompletableFuture<Job> submitAsync(JobSpec spec, String idempotencyKey) {
        return submitRequest(spec, idempotencyKey).callAsync(job);
    }

    private ApiRequest submitRequest(JobSpec spec, String idempotencyKey) {
        Preconditions.notNull(spec, "spec");
        Preconditions.notBlank(idempotencyKey, "idempotencyKey");
        Preconditions.argument(idempotencyKey.length() <= MAX_IDEMPOTENCY_KEY_LENGTH,
                "idempotencyKey must be at most %d characters, got %d", MAX_IDEMPOTENCY_KEY_LENGTH,
                idempotencyKey.length());
        Preconditions.argument(idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f),
                "idempotencyKey must be printable ASCII without spaces, got '%s'", idempotencyKey);
        return transport.request("POST", JOBS).body(spec).idempotencyKey(idempotencyKey);
    }

    /**
     * The first page of 100 jobs, newest first ({@code GET /api/plugin-core/jobs}).
     *
     * @return the page
     * @throws CortexApiException when the call fails
     */
    public Page<Job> list() {
        return list(JobQuery.all());
    }

    /**
     * The jobs a query selects, newest first: by state, by provider of the open attempt, by labels,
     * one page at a time.
     *
     * @param query what to list
     * @return the page
     * @throws NullPointerException when {@code query} is null
     * @throws CortexApiException when the call fails
     */
    public Page<Job> list(JobQuery query) {
        return listRequest(query).call(jobPage);
    }

    /**
     * {@link #list(JobQuery)} without waiting.
     *
     * @param query what to list
     * @return the page
     * @throws NullPointerException when {@code query} is null
     */
    public CompletableFuture<Page<Job>> listAsync(JobQuery query) {
        return listRequest(query).callAsync(jobPage);
    }

    private ApiRequest listRequest(JobQuery query) {
        Preconditions.notNull(query, "query");
        ApiRequest request = transport.request("GET", JOBS);
        query.states().stream().map(s -> s.wireName()).sorted().forEach(s -> request.query("state", s));
        request.query("provider", query.provider() == null ? null : query.provider().value());
        query.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> request.query("label", e.getKey() + ":" + e.getValue()));
        return request.query("offset", query.offset()).query("limit", query.limit());
    }

    /**
     * One job ({@code GET /api/plugin-core/jobs/{jobId}}).
     *
     * @param id the job
     * @return the job now
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails; {@link ResourceNotFoundException} for an unknown job
     */
    public Job get(JobId id) {
        return jobRequest("GET", id, null).call(job);
    }

    /**
     * {@link #get(JobId)} without waiting.
     *
     * @param id the job
     * @return the job now
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<Job> getAsync(JobId id) {
        return jobRequest("GET", id, null).callAsync(job);
    }

    /**
     * Changes the resources of a pending job ({@code PUT /api/plugin-core/jobs/{jobId}}).
     *
     * @param id the job
     * @param resources the new cpu, memory, storage and GPUs
     * @return the job with its new resources
     * @throws NullPointerException when an argument is null
     * @throws CortexApiException when the call fails; {@link ConflictException} when the job is no
     *     longer pending
     */
    public Job updateResources(JobId id, Resources resources) {
        return updateRequest(id, resources).call(job);
    }

    /**
     * {@link #updateResources(JobId, Resources)} without waiting.
     *
     * @param id the job
     * @param resources the new resources
     * @return the job with its new resources
     * @throws NullPointerException when an argument is null
     */
    public CompletableFuture<Job> updateResourcesAsync(JobId id, Resources resources) {
        return updateRequest(id, resources).callAsync(job);
    }

    private ApiRequest updateRequest(JobId id, Resources resources) {
        Preconditions.notNull(resources, "resources");
        return jobRequest("PUT", id, null).body(resources);
    }

    /**
     * The history of a job, oldest first ({@code GET …/jobs/{jobId}/events}).
     *
     * @param id the job
     * @return its events
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails
     */
    public List<JobEvent> events(JobId id) {
        return jobRequest("GET", id, "events").call(events);
    }

    /**
     * {@link #events(JobId)} without waiting.
     *
     * @param id the job
     * @return its events
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<List<JobEvent>> eventsAsync(JobId id) {
        return jobRequest("GET", id, "events").callAsync(events);
    }

    /**
     * The first lines a job printed, up to the server's default page ({@code GET …/jobs/{jobId}/logs}).
     *
     * @param id the job
     * @return its log lines
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails; {@link ServerException} 501 when the provider
     *     keeps no logs
     */
    public List<LogLine> logs(JobId id) {
        return jobRequest("GET", id, "logs").call(logLines);
    }

    /**
     * The lines a job printed after a cursor.
     *
     * @param id the job
     * @param after the {@link LogLine#sequence()} to read after; -1 for the start
     * @param limit how many lines at most, from 1
     * @return the log lines
     * @throws NullPointerException when {@code id} is null
     * @throws IllegalArgumentException when {@code after} is below -1 or {@code limit} below 1
     * @throws CortexApiException when the call fails
     */
    public List<LogLine> logs(JobId id, long after, int limit) {
        return logsRequest(id, after, limit).call(logLines);
    }

    /**
     * {@link #logs(JobId, long, int)} without waiting.
     *
     * @param id the job
     * @param after the sequence to read after; -1 for the start
     * @param limit how many lines at most
     * @return the log lines
     * @throws NullPointerException when {@code id} is null
     * @throws IllegalArgumentException when {@code after} is below -1 or {@code limit} below 1
     */
    public CompletableFuture<List<LogLine>> logsAsync(JobId id, long after, int limit) {
        return logsRequest(id, after, limit).callAsync(logLines);
    }

    private ApiRequest logsRequest(JobId id, long after, int limit) {
        Preconditions.argument(after >= -1, "after must be -1 or more, got %d", after);
        Preconditions.argument(limit >= 1, "limit must be at least 1, got %d", limit);
        return jobRequest("GET", id, "logs").query("after", after).query("limit", limit);
    }

    /**
     * Puts a failed job back to pending ({@code POST …/jobs/{jobId}/resubmit}), on any provider.
     * Not retried after a 5xx or a broken connection (the server may have acted on it).
     *
     * @param id the job
     * @return the job, pending again
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails; {@link ConflictException} when the job is not failed
     */
    public Job resubmit(JobId id) {
        return resubmitRequest(id, null).call(job);
    }

    /**
     * Puts a failed job back to pending, pinned to one provider.
     *
     * @param id the job
     * @param provider the provider to run it on
     * @return the job, pending again
     * @throws NullPointerException when an argument is null
     * @throws CortexApiException when the call fails
     */
    public Job resubmit(JobId id, ProviderId provider) {
        return resubmitRequest(id, Preconditions.notNull(provider, "provider")).call(job);
    }

    /**
     * {@link #resubmit(JobId, ProviderId)} without waiting.
     *
     * @param id the job
     * @param provider the provider to run it on, or null for any
     * @return the job, pending again
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<Job> resubmitAsync(JobId id, ProviderId provider) {
        return resubmitRequest(id, provider).callAsync(job);
    }

    private ApiRequest resubmitRequest(JobId id, ProviderId provider) {
        ApiRequest request = jobRequest("POST", id, "resubmit");
        return provider == null ? request : request.body(Map.of("provider", provider.value()));
    }

    /**
     * Cancels a job that is not finished ({@code POST …/jobs/{jobId}/cancel}).
     *
     * @param id the job
     * @return the job, cancelled
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails; {@link ConflictException} when it is finished
     */
    public Job cancel(JobId id) {
        return jobRequest("POST", id, "cancel").call(job);
    }

    /**
     * {@link #cancel(JobId)} without waiting.
     *
     * @param id the job
     * @return the job, cancelled
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<Job> cancelAsync(JobId id) {
        return jobRequest("POST", id, "cancel").callAsync(job);
    }

    /**
     * Why a job is pending or failed: the checks an operator would run, with findings and fixes
     * ({@code GET …/jobs/{jobId}/diagnosis}).
     *
     * @param id the job
     * @return the diagnosis
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails
     */
    public Diagnosis diagnose(JobId id) {
        return jobRequest("GET", id, "diagnosis").call(diagnosis);
    }

    /**
     * {@link #diagnose(JobId)} without waiting.
     *
     * @param id the job
     * @return the diagnosis
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<Diagnosis> diagnoseAsync(JobId id) {
        return jobRequest("GET", id, "diagnosis").callAsync(diagnosis);
    }

    private ApiRequest jobRequest(String method, JobId id, String sub) {
        Preconditions.notNull(id, "jobId");
        ApiRequest request = transport.request(method, JOBS).segment(id.value());
        return sub == null ? request : request.path(sub);
    }
}
