-- Rows relayed from MySQL/MariaDB source databases (app.source-databases): which hub row stands for which row of
-- which source, so the same remote id in two sources never lands on one hub row. kind: knowledge_base, document,
-- ingest_document, ingest_queue_item. For ingestion items, how far their status and log are written back.
CREATE TABLE source_db_row (
    source_db            TEXT        NOT NULL,
    kind                 TEXT        NOT NULL
                         CHECK (kind IN ('knowledge_base', 'document', 'ingest_document', 'ingest_queue_item')),
    remote_id            BIGINT      NOT NULL,
    local_id             BIGINT      NOT NULL,
    -- the item's latest updated_at and log line in the hub (kept by the triggers below)
    changed_updated_at   TIMESTAMPTZ,
    changed_log_id       BIGINT      NOT NULL DEFAULT 0,
    -- the item's updated_at and log line last written back to the source (NULL, 0 = never)
    mirrored_updated_at  TIMESTAMPTZ,
    mirrored_log_id      BIGINT      NOT NULL DEFAULT 0,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source_db, kind, remote_id),
    UNIQUE (kind, local_id)
);
-- the write-back reads only the items with something new, not every item ever relayed
CREATE INDEX source_db_row_item_changes_idx ON source_db_row (source_db)
    WHERE kind = 'ingest_queue_item' AND changed_updated_at IS DISTINCT FROM mirrored_updated_at;
CREATE INDEX source_db_row_log_changes_idx ON source_db_row (source_db)
    WHERE kind = 'ingest_queue_item' AND changed_log_id > mirrored_log_id;

-- A relayed item changed in the hub (status, times, message): it has something to write back. Items of the hub's
-- own database have no origin row and cost one index probe.
CREATE FUNCTION ragsync_source_item_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE source_db_row m
       SET changed_updated_at = NEW.updated_at
     WHERE m.kind = 'ingest_queue_item' AND m.local_id = NEW.id
       AND m.changed_updated_at IS DISTINCT FROM NEW.updated_at;
    RETURN NULL;
END $$;

CREATE TRIGGER ingest_queue_item_changed_for_source AFTER UPDATE ON ingest_queue_item
    FOR EACH ROW WHEN (OLD.updated_at IS DISTINCT FROM NEW.updated_at)
    EXECUTE FUNCTION ragsync_source_item_changed();

-- A new log line of a relayed item.
CREATE FUNCTION ragsync_source_item_logged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE source_db_row m
       SET changed_log_id = greatest(m.changed_log_id, NEW.id)
     WHERE m.kind = 'ingest_queue_item' AND m.local_id = NEW.item_id;
    RETURN NULL;
END $$;

CREATE TRIGGER ingest_log_added_for_source AFTER INSERT ON ingest_log
    FOR EACH ROW EXECUTE FUNCTION ragsync_source_item_logged();
