-- File drop source (routes/sources/file-drop.camel.yaml): what RAGSync knows about each dropped file, the
-- JDBC idempotent repository of the file consumer, a lease table for singleton work, and the functions that
-- register a dropped file as a document (serialised per file, so several instances enqueue a change once).

-- One row per file under the drop directory (path relative to app.drop.dir, first folder = knowledge base).
CREATE TABLE drop_file (
    relative_path       TEXT PRIMARY KEY,
    -- where the spine reads it: document.file_path, relative to app.storage.root
    storage_path        TEXT        NOT NULL,
    knowledge_base_id   BIGINT,
    document_id         BIGINT      REFERENCES document (id) ON DELETE SET NULL,
    -- registered: a document carries it; rejected: RAGSync refuses it (reason says why)
    status              TEXT        NOT NULL CHECK (status IN ('registered', 'rejected')),
    reason              TEXT,
    content_hash        TEXT,
    file_size           BIGINT,
    -- last time a version of the file was looked at (also when nothing changed)
    checked_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX drop_file_document_idx ON drop_file (document_id);
CREATE INDEX drop_file_status_idx ON drop_file (status);

-- Camel's JdbcMessageIdRepository table (its own column names), shared by all instances: a file version
-- (path|size|mtime) seen by one instance is not read again by another. TEXT: paths may be long.
CREATE TABLE ragsync_drop_seen (
    processorname   TEXT        NOT NULL,
    messageid       TEXT        NOT NULL,
    createdat       TIMESTAMP   NOT NULL DEFAULT now(),
    PRIMARY KEY (processorname, messageid)
);

-- Leases for work only one instance should do at a time (e.g. the drop removal scan).
CREATE TABLE ragsync_lease (
    name        TEXT PRIMARY KEY,
    owner       TEXT        NOT NULL,
    lease_until TIMESTAMPTZ NOT NULL
);

-- The knowledge base with this name, created if missing. knowledge_base.name is not unique in the reference
-- schema, so creation is serialised by an advisory lock on the name (two instances never create it twice).
CREATE FUNCTION ragsync_knowledge_base_by_name(p_name TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v_id BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('ragsync:knowledge-base:' || p_name));
    SELECT id INTO v_id FROM knowledge_base WHERE name = p_name ORDER BY id LIMIT 1;
    IF v_id IS NULL THEN
        INSERT INTO knowledge_base (name, description)
        VALUES (p_name, 'created by RAGSync for a dropped or queued document')
        RETURNING id INTO v_id;
    END IF;
    RETURN v_id;
END $$;

-- Registers one version of a dropped file. The drop_file row is locked, so concurrent registrations of the
-- same file (two instances) are serialised: the content hash decides whether anything is enqueued.
--   created   first version: a document is inserted (its trigger enqueues the upsert)
--   changed   new content (or new location): the document's upsert is enqueued
--   unchanged same content as registered: nothing happens (a touch, or the other instance was first)
CREATE FUNCTION ragsync_register_drop_file(p_relative_path TEXT, p_storage_path TEXT, p_kb_name TEXT,
                                           p_title TEXT, p_hash TEXT, p_size BIGINT)
RETURNS TABLE (action TEXT, document_id BIGINT, knowledge_base_id BIGINT, job_id BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    v_row drop_file;
    v_kb BIGINT;
    v_doc BIGINT;
    v_job BIGINT;
    v_action TEXT;
BEGIN
    v_kb := ragsync_knowledge_base_by_name(p_kb_name);
    INSERT INTO drop_file (relative_path, storage_path, status)
    VALUES (p_relative_path, p_storage_path, 'rejected')
    ON CONFLICT ON CONSTRAINT drop_file_pkey DO NOTHING;
    SELECT * INTO v_row FROM drop_file f WHERE f.relative_path = p_relative_path FOR UPDATE;

    IF v_row.status = 'registered' AND v_row.document_id IS NOT NULL
       AND v_row.content_hash = p_hash AND v_row.storage_path = p_storage_path THEN
        UPDATE drop_file f SET checked_at = now() WHERE f.relative_path = p_relative_path;
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
    RETURN QUERY SELECT v_action, v_doc, v_kb, v_job;
END $$;

-- A dropped file whose drop file disappeared: its document is deleted (the document trigger enqueues the
-- delete downstream), its drop_file row and the consumer's memory of its versions are forgotten, so the same
-- file dropped again is registered again. Returns the delete job (NULL for a file that was only rejected).
CREATE FUNCTION ragsync_forget_drop_file(p_relative_path TEXT, p_processor TEXT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    v_doc BIGINT;
    v_job BIGINT;
BEGIN
    DELETE FROM drop_file f WHERE f.relative_path = p_relative_path RETURNING f.document_id INTO v_doc;
    DELETE FROM ragsync_drop_seen s
     WHERE s.processorname = p_processor
       AND left(s.messageid, length(p_relative_path) + 1) = p_relative_path || '|';
    IF v_doc IS NOT NULL THEN
        DELETE FROM document d WHERE d.id = v_doc;
        UPDATE sync_job j SET source = 'drop' WHERE j.document_id = v_doc AND j.status = 'queued' RETURNING j.id INTO v_job;
    END IF;
    RETURN v_job;
END $$;
