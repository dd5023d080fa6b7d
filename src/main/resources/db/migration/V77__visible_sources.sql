-- What the operator sees of the sources: the document triggers name the source that wrote the document (drop,
-- queue, push, rest; backend when nobody said), dropped files the hub skips on purpose (hidden and temporary
-- files) are recorded beside the refused ones, and a REST source's consecutive failures are counted for its
-- back-off and the dashboard.

-- The source of the document writes of this transaction, read by the document triggers. Returns the previous
-- value, so a function can restore it (a backend's own writes later in the same transaction stay 'backend').
CREATE FUNCTION ragsync_enqueue_source(p_source TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
    v_previous TEXT := coalesce(current_setting('ragsync.source', true), '');
BEGIN
    PERFORM set_config('ragsync.source', coalesce(p_source, ''), true);
    RETURN v_previous;
END $$;

CREATE OR REPLACE FUNCTION ragsync_document_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_source TEXT := coalesce(nullif(current_setting('ragsync.source', true), ''), 'backend');
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM ragsync_enqueue(OLD.id, OLD.knowledge_base_id, 'delete', v_source);
        RETURN OLD;
    END IF;
    PERFORM ragsync_enqueue(NEW.id, NEW.knowledge_base_id, 'upsert', v_source);
    RETURN NEW;
END $$;

-- A deleted knowledge base (V20's trigger) names its source the same way.
CREATE OR REPLACE FUNCTION ragsync_knowledge_base_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ragsync_enqueue(NULL, OLD.id, 'delete_kb',
                            coalesce(nullif(current_setting('ragsync.source', true), ''), 'backend'),
                            coalesce(OLD.target, ragsync_target_of(NULL)));
    RETURN OLD;
END $$;

-- The drop and queue functions of V10 / V11, unchanged but for naming their source to the trigger.
-- Registers one version of a dropped file. The drop_file row is locked, so concurrent registrations of the
-- same file (two instances) are serialised: the content hash decides whether anything is enqueued.
--   created   first version: a document is inserted (its trigger enqueues the upsert)
--   changed   new content (or new location): the document's upsert is enqueued
--   unchanged same content as registered: nothing happens (a touch, or the other instance was first)
CREATE OR REPLACE FUNCTION ragsync_register_drop_file(p_relative_path TEXT, p_storage_path TEXT, p_kb_name TEXT,
                                           p_title TEXT, p_hash TEXT, p_size BIGINT)
RETURNS TABLE (action TEXT, document_id BIGINT, knowledge_base_id BIGINT, job_id BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    v_row drop_file;
    v_kb BIGINT;
    v_doc BIGINT;
    v_job BIGINT;
    v_action TEXT;
    v_previous TEXT := ragsync_enqueue_source('drop');
BEGIN
    v_kb := ragsync_knowledge_base_by_name(p_kb_name);
    INSERT INTO drop_file (relative_path, storage_path, status)
    VALUES (p_relative_path, p_storage_path, 'rejected')
    ON CONFLICT ON CONSTRAINT drop_file_pkey DO NOTHING;
    SELECT * INTO v_row FROM drop_file f WHERE f.relative_path = p_relative_path FOR UPDATE;

    IF v_row.status = 'registered' AND v_row.document_id IS NOT NULL
       AND v_row.content_hash = p_hash AND v_row.storage_path = p_storage_path THEN
        UPDATE drop_file f SET checked_at = now() WHERE f.relative_path = p_relative_path;
        PERFORM ragsync_enqueue_source(v_previous);
        RETURN QUERY SELECT 'unchanged'::TEXT, v_row.document_id, v_row.knowledge_base_id, NULL::BIGINT;
        RETURN;
    END IF;

    IF v_row.document_id IS NULL THEN
        INSERT INTO document (knowledge_base_id, title, file_path)
        VALUES (v_kb, p_title, p_storage_path)
        RETURNING id INTO v_doc;
        v_action := 'created';
    ELSE
        v_doc := v_row.document_id;
        v_kb := (SELECT d.knowledge_base_id FROM document d WHERE d.id = v_doc);
        UPDATE document d SET file_path = p_storage_path, updated_at = now() WHERE d.id = v_doc;
        PERFORM ragsync_enqueue(v_doc, v_kb, 'upsert', 'drop');
        v_action := 'changed';
    END IF;
    UPDATE sync_job j SET source = 'drop' WHERE j.document_id = v_doc AND j.status = 'queued' RETURNING j.id INTO v_job;
    UPDATE drop_file f
       SET storage_path = p_storage_path, knowledge_base_id = v_kb, document_id = v_doc, status = 'registered',
           reason = NULL, content_hash = p_hash, file_size = p_size, checked_at = now(), updated_at = now()
     WHERE f.relative_path = p_relative_path;
    PERFORM ragsync_enqueue_source(v_previous);
    RETURN QUERY SELECT v_action, v_doc, v_kb, v_job;
END $$;

-- A dropped file whose drop file disappeared: its document is deleted (the document trigger enqueues the
-- delete downstream), its drop_file row and the consumer's memory of its versions are forgotten, so the same
-- file dropped again is registered again. Returns the delete job (NULL for a file that was only rejected).
CREATE OR REPLACE FUNCTION ragsync_forget_drop_file(p_relative_path TEXT, p_processor TEXT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    v_doc BIGINT;
    v_job BIGINT;
    v_previous TEXT := ragsync_enqueue_source('drop');
BEGIN
    DELETE FROM drop_file f WHERE f.relative_path = p_relative_path RETURNING f.document_id INTO v_doc;
    DELETE FROM ragsync_drop_seen s
     WHERE s.processorname = p_processor
       AND left(s.messageid, length(p_relative_path) + 1) = p_relative_path || '|';
    IF v_doc IS NOT NULL THEN
        DELETE FROM document d WHERE d.id = v_doc;
        UPDATE sync_job j SET source = 'drop' WHERE j.document_id = v_doc AND j.status = 'queued' RETURNING j.id INTO v_job;
    END IF;
    PERFORM ragsync_enqueue_source(v_previous);
    RETURN v_job;
END $$;

CREATE OR REPLACE FUNCTION ragsync_ingest_item_queued() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_node ingest_document;
    v_kb BIGINT;
    v_doc BIGINT;
    v_job BIGINT;
    v_previous TEXT := ragsync_enqueue_source('queue');
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
    PERFORM ragsync_enqueue_source(v_previous);
    RETURN NULL;
END $$;

-- skipped: a hidden or temporary file (editor swap file, .DS_Store, Office lock file) the drop does not sync
ALTER TABLE drop_file DROP CONSTRAINT drop_file_status_check;
ALTER TABLE drop_file ADD CONSTRAINT drop_file_status_check CHECK (status IN ('registered', 'rejected', 'skipped'));
CREATE INDEX drop_file_attention_idx ON drop_file (checked_at DESC) WHERE status <> 'registered';

-- Failed batches in a row (0 after a good one) and when the last failed: the scheduler backs off exponentially.
ALTER TABLE kb_rest_cursors ADD COLUMN consecutive_failures INT NOT NULL DEFAULT 0;
ALTER TABLE kb_rest_cursors ADD COLUMN last_failed_at TIMESTAMPTZ;
