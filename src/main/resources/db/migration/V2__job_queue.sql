-- The job queue: the one spine every source writes to and every target is driven from.
CREATE TABLE sync_job (
    id                  BIGSERIAL PRIMARY KEY,
    document_id         BIGINT,                       -- NULL for knowledge-base jobs
    knowledge_base_id   BIGINT,
    op                  TEXT        NOT NULL CHECK (op IN ('upsert', 'delete', 'delete_kb')),
    source              TEXT        NOT NULL DEFAULT 'backend',
    target              TEXT        NOT NULL DEFAULT 'ragflow',
    status              TEXT        NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'processing', 'indexed', 'deleted', 'failed',
                                          'download_failed', 'config_error', 'superseded')),
    -- inside 'processing': 'sync' while a worker runs the job, 'parsing' while RAGFlow parses
    phase               TEXT,
    retry_count         INT         NOT NULL DEFAULT 0,
    coalesced_count     INT         NOT NULL DEFAULT 0,
    last_error          TEXT,
    next_retry_at       TIMESTAMPTZ,
    claimed_by          TEXT,
    lease_until         TIMESTAMPTZ,
    parse_started_at    TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at          TIMESTAMPTZ,
    ended_at            TIMESTAMPTZ,
    rag_message         TEXT
);

CREATE INDEX sync_job_status_idx ON sync_job (status, next_retry_at);
CREATE INDEX sync_job_created_at_idx ON sync_job (created_at);
CREATE INDEX sync_job_document_idx ON sync_job (document_id, id);
-- at most one pending job per document: later events coalesce into it (latest wins)
CREATE UNIQUE INDEX sync_job_pending_document_uq ON sync_job (document_id)
    WHERE status = 'queued' AND document_id IS NOT NULL;
CREATE UNIQUE INDEX sync_job_pending_kb_uq ON sync_job (knowledge_base_id)
    WHERE status = 'queued' AND op = 'delete_kb';

CREATE TABLE sync_job_log (
    id          BIGSERIAL PRIMARY KEY,
    job_id      BIGINT      NOT NULL REFERENCES sync_job (id) ON DELETE CASCADE,
    level       TEXT        NOT NULL CHECK (level IN ('DEBUG', 'INFO', 'WARN', 'ERROR')),
    event       TEXT        NOT NULL,
    message     TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sync_job_log_job_idx ON sync_job_log (job_id, id);

CREATE TABLE sync_dead_letter (
    id                  BIGSERIAL PRIMARY KEY,
    job_id              BIGINT,
    document_id         BIGINT,
    knowledge_base_id   BIGINT,
    op                  TEXT,
    route_id            TEXT,
    error               TEXT        NOT NULL,
    payload             TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sync_dead_letter_created_at_idx ON sync_dead_letter (created_at);

-- RAGSync's own mapping tables
CREATE TABLE kb_dataset (
    knowledge_base_id   BIGINT PRIMARY KEY,
    ragflow_dataset_id  TEXT        NOT NULL UNIQUE,
    dataset_name        TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE document_sync (
    document_id             BIGINT PRIMARY KEY,
    knowledge_base_id       BIGINT,
    ragflow_dataset_id      TEXT,
    ragflow_document_id     TEXT,
    ragflow_document_name   TEXT,
    content_hash            TEXT,
    meta_hash               TEXT,
    file_size               BIGINT,
    status                  TEXT        NOT NULL,
    -- set before an upload, cleared when RAGFlow's answer is recorded: if still set, an earlier upload's
    -- answer was lost and RAGFlow may hold a copy under ragflow_document_name
    upload_pending          BOOLEAN     NOT NULL DEFAULT false,
    run                     TEXT,
    progress_msg            TEXT,
    chunk_count             INT,
    last_error              TEXT,
    last_job_id             BIGINT,
    synced_at               TIMESTAMPTZ,
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX document_sync_dataset_idx ON document_sync (ragflow_dataset_id);
