-- Rows relayed from MySQL/MariaDB source databases (app.source-databases): which hub row stands for which row of
-- which source, so the same remote id in two sources never lands on one hub row. kind: knowledge_base, document,
-- ingest_document, ingest_queue_item. For ingestion items, how far their status and log are mirrored back.
CREATE TABLE source_db_row (
    source_db            TEXT        NOT NULL,
    kind                 TEXT        NOT NULL
                         CHECK (kind IN ('knowledge_base', 'document', 'ingest_document', 'ingest_queue_item')),
    remote_id            BIGINT      NOT NULL,
    local_id             BIGINT      NOT NULL,
    -- the item's updated_at last written back to the source (NULL = never)
    mirrored_updated_at  TIMESTAMPTZ,
    -- the last ingest_log id written back to the source
    mirrored_log_id      BIGINT      NOT NULL DEFAULT 0,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source_db, kind, remote_id),
    UNIQUE (kind, local_id)
);
CREATE INDEX source_db_row_items_idx ON source_db_row (source_db, kind, local_id);
