-- LightRAG as a third target (routes/targets/lightrag, sql/targets/lightrag, io.ragsync.targets.lightrag).
--
-- A knowledge base may name it; the jobs of its documents are stamped 'lightrag' by ragsync_enqueue as for the
-- other targets (sync_job.target is not constrained; knowledge_base.target is).
ALTER TABLE knowledge_base DROP CONSTRAINT IF EXISTS knowledge_base_target_check;
ALTER TABLE knowledge_base ADD CONSTRAINT knowledge_base_target_check
    CHECK (target IS NULL OR target IN ('ragflow', 'local', 'lightrag'));

-- Document <-> LightRAG document. The current columns name the version LightRAG has processed and serves; the
-- pending ones the version on its way: its file name is written before the upload (an answer lost after LightRAG
-- stored the file is found again by that name), its track id when LightRAG answers, its doc id once the track
-- status names it, and since when it is on its way. A replaced version's doc id is deleted only after its
-- successor is processed.
CREATE TABLE lightrag_document (
    document_id BIGINT PRIMARY KEY,
    knowledge_base_id BIGINT,
    -- the version served
    doc_id TEXT, file_name TEXT, track_id TEXT, content_hash TEXT, chunk_count INT,
    -- the version on its way
    pending_file_name TEXT, pending_hash TEXT, pending_track_id TEXT, pending_doc_id TEXT, pending_since TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX lightrag_document_kb_idx ON lightrag_document (knowledge_base_id);
