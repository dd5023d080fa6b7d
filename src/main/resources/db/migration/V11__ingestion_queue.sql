-- Ingestion queue of a manager application (another service on the same database). The manager writes
-- ingest_document (document nodes) and ingest_queue_item rows and reads their status and ingest_log; RAGSync
-- is the ingestor. The items ride on the spine's job queue: inserting an item enqueues a sync_job
-- (source 'queue') through the document table, and every change of that job's status and every job log line
-- is mirrored back onto the item and its log by the triggers below. See routes/sources/README.md.

-- A document node of the manager: its file (relative to the shared storage root) and knowledge base name.
CREATE TABLE ingest_document (
    id              BIGSERIAL PRIMARY KEY,
    title           TEXT        NOT NULL,
    storage_path    TEXT        NOT NULL,
    knowledge_base  TEXT        NOT NULL DEFAULT 'ingest' CHECK (length(btrim(knowledge_base)) > 0),
    -- the backend document RAGSync keeps for the node (set by RAGSync)
    document_id     BIGINT      REFERENCES document (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One ingestion request. status: queued -> processing -> indexed | failed | download_failed.
CREATE TABLE ingest_queue_item (
    id                  BIGSERIAL PRIMARY KEY,
    document_node_id    BIGINT      NOT NULL REFERENCES ingest_document (id) ON DELETE CASCADE,
    storage_path        TEXT        NOT NULL,
    status              TEXT        NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'processing', 'indexed', 'failed', 'download_failed')),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at          TIMESTAMPTZ,
    ended_at            TIMESTAMPTZ,
    rag_message         TEXT,
    -- the spine job carrying the item (set by RAGSync)
    sync_job_id         BIGINT,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ingest_queue_item_status_idx ON ingest_queue_item (status, created_at);
CREATE INDEX ingest_queue_item_created_at_idx ON ingest_queue_item (created_at);
CREATE INDEX ingest_queue_item_job_idx ON ingest_queue_item (sync_job_id);

CREATE TABLE ingest_log (
    id          BIGSERIAL PRIMARY KEY,
    item_id     BIGINT      NOT NULL REFERENCES ingest_queue_item (id) ON DELETE CASCADE,
    level       TEXT        NOT NULL,
    event       TEXT        NOT NULL,
    message     TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ingest_log_item_idx ON ingest_log (item_id, id);
CREATE INDEX ingest_log_created_at_idx ON ingest_log (created_at);

-- A new item: the node's document is created (first item) or pointed at the item's file, and an upsert job
-- is enqueued (coalescing with a pending one of the same document). The item remembers its job.
CREATE FUNCTION ragsync_ingest_item_queued() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_node ingest_document;
    v_kb BIGINT;
    v_doc BIGINT;
    v_job BIGINT;
BEGIN
    SELECT * INTO v_node FROM ingest_document n WHERE n.id = NEW.document_node_id FOR UPDATE;
    v_kb := ragsync_knowledge_base_by_name(btrim(v_node.knowledge_base));
    v_doc := v_node.document_id;
    IF v_doc IS NULL THEN
        INSERT INTO document (knowledge_base_id, title, file_path)
        VALUES (v_kb, v_node.title, NEW.storage_path)
        RETURNING id INTO v_doc;
        UPDATE ingest_document n SET document_id = v_doc, updated_at = now() WHERE n.id = v_node.id;
    ELSE
        -- the trigger on document enqueues when path, title or knowledge base change
        UPDATE document d
           SET file_path = NEW.storage_path, title = v_node.title, knowledge_base_id = v_kb, updated_at = now()
         WHERE d.id = v_doc
           AND (d.file_path, d.title, d.knowledge_base_id) IS DISTINCT FROM (NEW.storage_path, v_node.title, v_kb);
        -- a new item always asks for an ingestion, even of an unchanged file
        PERFORM ragsync_enqueue(v_doc, v_kb, 'upsert', 'queue');
    END IF;
    UPDATE sync_job j SET source = 'queue' WHERE j.document_id = v_doc AND j.status = 'queued' RETURNING j.id INTO v_job;
    UPDATE ingest_queue_item i SET sync_job_id = v_job WHERE i.id = NEW.id;
    INSERT INTO ingest_log (item_id, level, event, message)
    VALUES (NEW.id, 'INFO', 'queued', 'document ' || v_doc || ' of knowledge base "' || btrim(v_node.knowledge_base)
            || '", sync job ' || v_job || ', file ' || NEW.storage_path);
    RETURN NULL;
END $$;

CREATE TRIGGER ingest_queue_item_inserted AFTER INSERT ON ingest_queue_item
    FOR EACH ROW EXECUTE FUNCTION ragsync_ingest_item_queued();

-- The job's status, times and message, mirrored onto its items. A superseded job hands its items to the
-- document's queued job that replaced it.
CREATE FUNCTION ragsync_mirror_job_to_ingest() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_next BIGINT;
BEGIN
    IF NEW.status = 'superseded' THEN
        SELECT j.id INTO v_next FROM sync_job j
         WHERE j.document_id = NEW.document_id AND j.status = 'queued' ORDER BY j.id DESC LIMIT 1;
        UPDATE ingest_queue_item i
           SET sync_job_id = coalesce(v_next, i.sync_job_id), status = 'queued', ended_at = NULL, updated_at = now()
         WHERE i.sync_job_id = NEW.id;
        RETURN NULL;
    END IF;
    UPDATE ingest_queue_item i
       SET status = CASE NEW.status
                      WHEN 'queued' THEN 'queued'
                      WHEN 'processing' THEN 'processing'
                      WHEN 'indexed' THEN 'indexed'
                      WHEN 'download_failed' THEN 'download_failed'
                      ELSE 'failed'   -- failed, config_error, deleted
                    END,
           started_at = CASE WHEN NEW.status = 'processing' THEN coalesce(NEW.started_at, now()) ELSE i.started_at END,
           ended_at = CASE WHEN NEW.status IN ('queued', 'processing') THEN NULL ELSE coalesce(NEW.ended_at, now()) END,
           rag_message = CASE
                           WHEN NEW.status = 'deleted' THEN 'the document was deleted before it was ingested'
                           WHEN NEW.status = 'queued' THEN coalesce(NEW.last_error, NEW.rag_message, i.rag_message)
                           ELSE coalesce(NEW.rag_message, NEW.last_error, i.rag_message)
                         END,
           updated_at = now()
     WHERE i.sync_job_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER sync_job_mirrored_to_ingest AFTER UPDATE ON sync_job
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.rag_message IS DISTINCT FROM NEW.rag_message
          OR OLD.started_at IS DISTINCT FROM NEW.started_at)
    EXECUTE FUNCTION ragsync_mirror_job_to_ingest();

-- Every line of the job's log is also a line of its items' ingestion log.
CREATE FUNCTION ragsync_mirror_job_log_to_ingest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ingest_log (item_id, level, event, message)
    SELECT i.id, NEW.level, NEW.event, NEW.message FROM ingest_queue_item i WHERE i.sync_job_id = NEW.job_id;
    RETURN NULL;
END $$;

CREATE TRIGGER sync_job_log_mirrored_to_ingest AFTER INSERT ON sync_job_log
    FOR EACH ROW EXECUTE FUNCTION ragsync_mirror_job_log_to_ingest();

-- Concurrency mode 'single' (app.queue.concurrency): is no manager-queue job in progress? Called by the claim
-- (sql/jobs/claim-jobs.sql) under an advisory lock held until the claim commits, and with a fresh snapshot
-- (a VOLATILE function), so two instances never start two queue jobs at once.
CREATE FUNCTION ragsync_queue_slot_free() RETURNS BOOLEAN LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('ragsync:queue-single'));
    RETURN NOT EXISTS (SELECT 1 FROM sync_job j WHERE j.source = 'queue' AND j.status = 'processing');
END $$;
