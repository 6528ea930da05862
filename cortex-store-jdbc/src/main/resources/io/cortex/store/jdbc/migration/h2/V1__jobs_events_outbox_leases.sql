-- Cortex JDBC store, schema version 1 (H2).
-- Jobs are JSON documents (the core's CortexJson format) with the columns queries need beside them.
-- CHARACTER VARYING, not CLOB: H2 keeps it in the row (a document is far below its 1 MB limit).

CREATE TABLE cortex_job (
    id          VARCHAR(72)              NOT NULL PRIMARY KEY,
    state       VARCHAR(16)              NOT NULL,
    version     BIGINT                   NOT NULL,
    provider    VARCHAR(128),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    document    CHARACTER VARYING        NOT NULL
);
CREATE INDEX cortex_job_state_created ON cortex_job (state, created_at DESC, id DESC);
CREATE INDEX cortex_job_created ON cortex_job (created_at DESC, id DESC);
CREATE INDEX cortex_job_provider ON cortex_job (provider);

CREATE TABLE cortex_job_label (
    job_id  VARCHAR(72)  NOT NULL REFERENCES cortex_job (id) ON DELETE CASCADE,
    label_key    VARCHAR(64)  NOT NULL,
    label_value  VARCHAR(256) NOT NULL,
    PRIMARY KEY (job_id, label_key)
);
CREATE INDEX cortex_job_label_lookup ON cortex_job_label (label_key, label_value);

CREATE TABLE cortex_job_event (
    job_id       VARCHAR(72)              NOT NULL REFERENCES cortex_job (id) ON DELETE CASCADE,
    version      BIGINT                   NOT NULL,
    type         VARCHAR(32)              NOT NULL,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    document     CHARACTER VARYING        NOT NULL,
    PRIMARY KEY (job_id, version)
);

-- events to deliver: written in the transaction of the change, deleted once delivered
CREATE TABLE cortex_outbox (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    VARCHAR(256)             NOT NULL,
    job_id      VARCHAR(72),
    type        VARCHAR(64)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    document    CHARACTER VARYING        NOT NULL
);

-- work one engine at a time does; times in epoch milliseconds by the database's clock
CREATE TABLE cortex_lease (
    name         VARCHAR(128) NOT NULL PRIMARY KEY,
    owner        VARCHAR(256) NOT NULL,
    expires_at   BIGINT       NOT NULL,
    acquired_at  BIGINT       NOT NULL
);
