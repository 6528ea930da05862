package io.cortex.server;

import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobId;
import io.cortex.core.job.JobState;
import io.cortex.core.store.DatabaseAdmin;
import io.cortex.core.store.DatabaseConfig;
import io.cortex.core.store.DatabaseConfigChange;
import io.cortex.core.store.DatabaseConnections;
import io.cortex.core.store.DatabaseStatus;
import io.cortex.core.store.InMemoryJobStore;
import io.cortex.core.store.JobQuery;
import io.cortex.core.store.JobStore;
import io.cortex.core.store.OptimizeReport;
import io.cortex.core.store.OutboxEntry;
import io.cortex.core.store.Page;
import io.cortex.core.store.SchemaMigration;
import io.cortex.core.store.SlowQuery;
import io.cortex.core.store.StorageUsage;
import io.cortex.core.store.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory store that pretends to sit on a database, to serve the database paths. */
final class FakeDatabaseStore implements JobStore, DatabaseAdmin {
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private volatile DatabaseConfig config = new DatabaseConfig(10, 2, 600_000, 30_000, 500);
    volatile boolean up = true;
    volatile int optimized;

    @Override
    public DatabaseStatus status() {
        return new DatabaseStatus(up, "H2", "2.3", "jdbc:h2:mem:test", null, "3", false, up ? 1 : -1, up ? "ok" : "refused",
                connections(), 0, 1, Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Override
    public DatabaseConnections connections() {
        return new DatabaseConnections(1, 1, 2, 0, config.poolSize(), config.minimumIdle());
    }

    @Override
    public List<SlowQuery> slowQueries() {
        return List.of(new SlowQuery(Instant.parse("2030-01-01T00:00:00Z"), "select * from jobs where state = ?", 812, null));
    }

    @Override
    public void clearSlowQueries() {}

    @Override
    public StorageUsage storage() {
        if (!up) {
            throw new StoreException("connection refused", new java.net.ConnectException("refused"));
        }
        return new StorageUsage("postgresql", "jdbc:postgresql://db.example/cortex", 81_920, "pg_total_relation_size of the "
                + "store's 2 tables", 9_000_000, Map.of("cortex_job", 65_536L, "cortex_schema_history", 16_384L), null);
    }

    @Override
    public List<SchemaMigration> migrations() {
        return List.of(new SchemaMigration(1, "1", "jobs events outbox leases", "SQL", "V1__jobs_events_outbox_leases.sql",
                        Instant.parse("2030-01-01T00:00:00Z"), "cortex", 42, true),
                new SchemaMigration(2, "2", "faster outbox", "SQL", "V2__faster_outbox.sql", Instant.parse("2030-02-01T00:00:00Z"),
                        "cortex", 7, false));
    }

    @Override
    public DatabaseConfig config() {
        return config;
    }

    @Override
    public DatabaseConfig updateConfig(DatabaseConfigChange change) {
        config = change.applyTo(config);
        return config;
    }

    @Override
    public OptimizeReport optimize() {
        optimized++;
        return new OptimizeReport(Instant.parse("2030-01-01T00:00:00Z"), List.of("ANALYZE"), 3);
    }

    @Override
    public void insert(Job job, JobEvent event) {
        jobs.insert(job, event);
    }

    @Override
    public Optional<Job> get(JobId id) {
        return jobs.get(id);
    }

    @Override
    public boolean update(Job next, long expectedVersion, JobEvent event) {
        return jobs.update(next, expectedVersion, event);
    }

    @Override
    public Page<Job> query(JobQuery query) {
        return jobs.query(query);
    }

    @Override
    public List<Job> activeJobs() {
        return jobs.activeJobs();
    }

    @Override
    public List<JobEvent> events(JobId id) {
        return jobs.events(id);
    }

    @Override
    public Map<JobState, Long> countByState() {
        return jobs.countByState();
    }

    @Override
    public void publish(CortexEvent event) {
        jobs.publish(event);
    }

    @Override
    public List<OutboxEntry> outbox(int limit) {
        return jobs.outbox(limit);
    }

    @Override
    public void acknowledge(long sequence) {
        jobs.acknowledge(sequence);
    }

    @Override
    public long outboxSize() {
        return jobs.outboxSize();
    }

    @Override
    public String describe() {
        return "fake database";
    }
}
