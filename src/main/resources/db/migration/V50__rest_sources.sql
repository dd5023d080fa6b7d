-- REST sources (issue 4): external paginated APIs pulled in resumable batches into a knowledge base.
-- A source's config is validated on save (io.ragsync.rest.RestSourceValidator); secrets are never stored
-- here: headersTemplate holds the placeholder {{API_KEY}}, resolved at fetch time from app.rest.secrets.*.
CREATE TABLE kb_sources (
    id                  BIGSERIAL PRIMARY KEY,
    tenant_id           TEXT        NOT NULL CHECK (length(btrim(tenant_id)) > 0),
    type                TEXT        NOT NULL DEFAULT 'rest' CHECK (type IN ('rest')),
    title               TEXT        NOT NULL CHECK (length(btrim(title)) > 0),
    config              JSONB       NOT NULL,
    -- true: pulled only from the backoffice (Sync button), never by the scheduler
    backoffice_only     BOOLEAN     NOT NULL DEFAULT false,
    enabled             BOOLEAN     NOT NULL DEFAULT true,
    -- Quartz cron expression: when a new scheduled run starts; NULL = manual only
    schedule            TEXT,
    -- the knowledge base the daily documents go to; created (named after the title) on first use
    knowledge_base_id   BIGINT      REFERENCES knowledge_base (id) ON DELETE SET NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX kb_sources_tenant_idx ON kb_sources (tenant_id);

-- Where a source's pull stands. A batch advances it only in the transaction that stores the batch's chunks.
CREATE TABLE kb_rest_cursors (
    source_id           BIGINT      PRIMARY KEY REFERENCES kb_sources (id),
    tenant_id           TEXT        NOT NULL,
    -- what the next batch fetches: cursor token, offset, page number or next URL (Link); NULL = first page
    next_cursor         TEXT,
    -- true once the last page was stored; the next batch starts a new run from the first page
    done                BOOLEAN     NOT NULL DEFAULT false,
    page_count          BIGINT      NOT NULL DEFAULT 0,
    item_count          BIGINT      NOT NULL DEFAULT 0,
    chunk_count         BIGINT      NOT NULL DEFAULT 0,
    -- ok | not_modified | rate_limited | error
    last_status         TEXT,
    last_http_status    INT,
    last_url            TEXT,
    last_synced_at      TIMESTAMPTZ,
    last_error          TEXT,
    -- freshness validators of the first page (If-None-Match / If-Modified-Since on the next run)
    etag                TEXT,
    last_modified       TEXT,
    -- 429 Retry-After: the scheduler leaves the source alone until then
    retry_after_until   TIMESTAMPTZ,
    run_started_at      TIMESTAMPTZ,
    -- the scheduler's claim on the source (one instance runs a source's scheduled batch at a time)
    scheduler_lease_until TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The daily document of a source: "<Source Title> — Sync YYYY-MM-DD", one backend document row per day.
CREATE TABLE kb_rest_documents (
    source_id           BIGINT      NOT NULL REFERENCES kb_sources (id),
    sync_date           DATE        NOT NULL,
    document_id         BIGINT      NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, sync_date)
);

-- The chunks of the items, as the daily document renders them. A content hash already stored for the
-- source is skipped (across batches and days).
CREATE TABLE kb_rest_chunks (
    id                  BIGSERIAL PRIMARY KEY,
    tenant_id           TEXT        NOT NULL,
    source_id           BIGINT      NOT NULL REFERENCES kb_sources (id),
    sync_date           DATE        NOT NULL,
    document_id         BIGINT      REFERENCES document (id) ON DELETE SET NULL,
    chunk_index         INT         NOT NULL,
    title               TEXT        NOT NULL,
    content             TEXT        NOT NULL,
    -- contentHash, itemId, chunk position in the item, source url...
    metadata            JSONB       NOT NULL,
    allowed_roles       JSONB       NOT NULL DEFAULT '[]'::jsonb,
    content_hash        TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT kb_rest_chunks_source_hash_uq UNIQUE (source_id, content_hash)
);
CREATE INDEX kb_rest_chunks_day_idx ON kb_rest_chunks (source_id, sync_date, chunk_index);
