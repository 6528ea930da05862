package io.cortex.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cortex.client.internal.ApiRequest;
import io.cortex.client.internal.Preconditions;
import io.cortex.client.internal.Readers;
import io.cortex.client.internal.ResponseReader;
import io.cortex.client.internal.Transport;
import io.cortex.core.log.OperatorLogRecord;
import io.cortex.core.service.ServiceInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The operator endpoints: health, rate limits, the operator log, engine services, resource metrics,
 * the key's permissions and the database. Obtained from {@link CortexClient#system()}; thread-safe.
 * Each method has an {@code …Async} twin, as on {@link JobsApi}.
 */
public final class SystemApi {
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final Transport transport;
    private final ResponseReader<Health> health;
    private final ResponseReader<RateLimitStatus> rateLimits;
    private final ResponseReader<List<OperatorLogRecord>> logRecords;
    private final ResponseReader<ServiceInfo> service;
    private final ResponseReader<ResourceMetrics> metrics;
    private final ResponseReader<Permissions> permissions;
    private final ResponseReader<Map<String, Object>> object;

    SystemApi(Transport transport) {
        this.transport = transport;
        Readers readers = new Readers(transport.mapper());
        this.health = readers.of(Health.class);
        this.rateLimits = readers.of(RateLimitStatus.class);
        this.logRecords = readers.of(new TypeReference<List<OperatorLogRecord>>() {});
        this.service = readers.of(ServiceInfo.class);
        this.metrics = readers.of(ResourceMetrics.class);
        this.permissions = readers.of(Permissions.class);
        this.object = readers.of(OBJECT);
    }

    /**
     * The server's health ({@code GET /api/health}, no scope needed).
     *
     * @return its health, also when it is {@code DOWN} (which the server answers with 503)
     * @throws CortexApiException when the call fails; a 503 that is not a health report (from a proxy,
     *     say) is a {@link ServerException} and is retried
     */
    public Health health() {
        return transport.request("GET", "api/health").accept(503).call(health);
    }

    /**
     * {@link #health()} without waiting.
     *
     * @return its health
     */
    public CompletableFuture<Health> healthAsync() {
        return transport.request("GET", "api/health").accept(503).callAsync(health);
    }

    /**
     * The rate limit of the calling key ({@code GET /api/system/rate-limits}).
     *
     * @return its limit, what is left and when it resets
     * @throws CortexApiException when the call fails
     */
    public RateLimitStatus rateLimits() {
        return transport.request("GET", "api/system/rate-limits").call(rateLimits);
    }

    /**
     * {@link #rateLimits()} without waiting.
     *
     * @return its limit, what is left and when it resets
     */
    public CompletableFuture<RateLimitStatus> rateLimitsAsync() {
        return transport.request("GET", "api/system/rate-limits").callAsync(rateLimits);
    }

    /**
     * Records of the engine's operator log ({@code GET /api/system/logs}, admin).
     *
     * @param query which records
     * @return the records
     * @throws NullPointerException when {@code query} is null
     * @throws CortexApiException when the call fails
     */
    public List<OperatorLogRecord> logs(LogQuery query) {
        return logsRequest(query).call(logRecords);
    }

    /**
     * {@link #logs(LogQuery)} without waiting.
     *
     * @param query which records
     * @return the records
     * @throws NullPointerException when {@code query} is null
     */
    public CompletableFuture<List<OperatorLogRecord>> logsAsync(LogQuery query) {
        return logsRequest(query).callAsync(logRecords);
    }

    private ApiRequest logsRequest(LogQuery query) {
        Preconditions.notNull(query, "query");
        return transport.request("GET", "api/system/logs").query("service", query.service())
                .query("provider", query.provider()).query("job", query.job()).query("level", query.level())
                .query("since", query.since()).query("limit", query.limit());
    }

    /**
     * One engine service ({@code GET /api/system/services/{name}}).
     *
     * @param name e.g. {@code scheduler}, {@code provider-monitor}
     * @return its state
     * @throws NullPointerException when {@code name} is null
     * @throws CortexApiException when the call fails; {@link ResourceNotFoundException} for an unknown service
     */
    public ServiceInfo service(String name) {
        return serviceRequest("GET", name, false).call(service);
    }

    /**
     * {@link #service(String)} without waiting.
     *
     * @param name the service
     * @return its state
     * @throws NullPointerException when {@code name} is null
     */
    public CompletableFuture<ServiceInfo> serviceAsync(String name) {
        return serviceRequest("GET", name, false).callAsync(service);
    }

    /**
     * Restarts an engine service ({@code POST /api/system/services/{name}/restart}, admin). Not retried
     * after a 5xx or a broken connection.
     *
     * @param name the service
     * @return its state afterwards
     * @throws NullPointerException when {@code name} is null
     * @throws CortexApiException when the call fails
     */
    public ServiceInfo restartService(String name) {
        return serviceRequest("POST", name, true).call(service);
    }

    /**
     * {@link #restartService(String)} without waiting.
     *
     * @param name the service
     * @return its state afterwards
     * @throws NullPointerException when {@code name} is null
     */
    public CompletableFuture<ServiceInfo> restartServiceAsync(String name) {
        return serviceRequest("POST", name, true).callAsync(service);
    }

    private ApiRequest serviceRequest(String method, String name, boolean restart) {
        Preconditions.notBlank(name, "service name");
        ApiRequest request = transport.request(method, "api/system/services").segment(name);
        return restart ? request.path("restart") : request;
    }

    /**
     * The server's resource use and workload ({@code GET /api/system/metrics/resources}).
     *
     * @return the figures
     * @throws CortexApiException when the call fails
     */
    public ResourceMetrics resourceMetrics() {
        return transport.request("GET", "api/system/metrics/resources").call(metrics);
    }

    /**
     * {@link #resourceMetrics()} without waiting.
     *
     * @return the figures
     */
    public CompletableFuture<ResourceMetrics> resourceMetricsAsync() {
        return transport.request("GET", "api/system/metrics/resources").callAsync(metrics);
    }

    /**
     * The scopes of the calling key ({@code GET /api/users/me/permissions}).
     *
     * @return the key's id and scopes
     * @throws CortexApiException when the call fails
     */
    public Permissions permissions() {
        return transport.request("GET", "api/users/me/permissions").call(permissions);
    }

    /**
     * {@link #permissions()} without waiting.
     *
     * @return the key's id and scopes
     */
    public CompletableFuture<Permissions> permissionsAsync() {
        return transport.request("GET", "api/users/me/permissions").callAsync(permissions);
    }

    /**
     * The database's status ({@code GET /api/system/database/status}, admin). Untyped: the server
     * answers 501 {@code unsupported} until it runs on a durable store.
     *
     * @return the status members
     * @throws CortexApiException when the call fails; {@link ServerException} 501 on an in-memory store
     */
    public Map<String, Object> databaseStatus() {
        return transport.request("GET", "api/system/database/status").call(object);
    }

    /**
     * {@link #databaseStatus()} without waiting.
     *
     * @return the status members
     */
    public CompletableFuture<Map<String, Object>> databaseStatusAsync() {
        return transport.request("GET", "api/system/database/status").callAsync(object);
    }

    /**
     * The database's connections ({@code GET /api/system/database/connections}, admin). Untyped, as
     * {@link #databaseStatus()}.
     *
     * @return the connection members
     * @throws CortexApiException when the call fails; {@link ServerException} 501 on an in-memory store
     */
    public Map<String, Object> databaseConnections() {
        return transport.request("GET", "api/system/database/connections").call(object);
    }

    /**
     * {@link #databaseConnections()} without waiting.
     *
     * @return the connection members
     */
    public CompletableFuture<Map<String, Object>> databaseConnectionsAsync() {
        return transport.request("GET", "api/system/database/connections").callAsync(object);
    }

    /**
     * The database's slow queries ({@code GET /api/system/database/slow-queries}, admin). Untyped, as
     * {@link #databaseStatus()}.
     *
     * @return the slow-query members
     * @throws CortexApiException when the call fails; {@link ServerException} 501 on an in-memory store
     */
    public Map<String, Object> slowQueries() {
        return transport.request("GET", "api/system/database/slow-queries").call(object);
    }

    /**
     * {@link #slowQueries()} without waiting.
     *
     * @return the slow-query members
     */
    public CompletableFuture<Map<String, Object>> slowQueriesAsync() {
        return transport.request("GET", "api/system/database/slow-queries").callAsync(object);
    }

    /**
     * Changes the database configuration ({@code PUT /api/system/database/config}, admin). Untyped, as
     * {@link #databaseStatus()}.
     *
     * @param config the settings to change, by name
     * @return the configuration afterwards
     * @throws NullPointerException when {@code config} is null
     * @throws CortexApiException when the call fails; {@link ServerException} 501 on an in-memory store
     */
    public Map<String, Object> updateDatabaseConfig(Map<String, Object> config) {
        Preconditions.notNull(config, "config");
        return transport.request("PUT", "api/system/database/config").body(config).call(object);
    }

    /**
     * {@link #updateDatabaseConfig(Map)} without waiting.
     *
     * @param config the settings to change, by name
     * @return the configuration afterwards
     * @throws NullPointerException when {@code config} is null
     */
    public CompletableFuture<Map<String, Object>> updateDatabaseConfigAsync(Map<String, Object> config) {
        Preconditions.notNull(config, "config");
        return transport.request("PUT", "api/system/database/config").body(config).callAsync(object);
    }
}
