-- Cortex JDBC store, schema version 2 (PostgreSQL).
-- History and labels no longer reference cortex_job by foreign key. The store writes them only in the
-- transaction of a change that holds the job's row (the insert or compare-and-set it goes with), and
-- retention deletes them in the statement that deletes their job. The checks cost a trigger query for
-- every history row written, the cascade one for every job dropped.
ALTER TABLE cortex_job_event DROP CONSTRAINT cortex_job_event_job_id_fkey;
ALTER TABLE cortex_job_label DROP CONSTRAINT cortex_job_label_job_id_fkey;
