-- LightRAG processed the version on its way: it becomes the one served (the previous one was deleted just
-- before), and the document is indexed. Parameters from lightragSync.processedRow.
WITH promoted AS (
    UPDATE lightrag_document
       SET doc_id = :#docId,
           file_name = pending_file_name,
           track_id = pending_track_id,
           content_hash = pending_hash,
           chunk_count = :#chunkCount,
           (pending_file_name, pending_hash, pending_track_id, pending_doc_id, pending_since)
               = (NULL, NULL, NULL, NULL, NULL),
           updated_at = now()
     WHERE document_id = :#${exchangeProperty.documentId}
    RETURNING document_id, knowledge_base_id, content_hash
)
INSERT INTO document_sync (document_id, knowledge_base_id, content_hash, status, run, progress_msg, chunk_count,
                           last_error, last_job_id, synced_at, updated_at)
SELECT document_id, knowledge_base_id, content_hash, 'indexed', 'DONE', :#message, :#chunkCount, NULL,
       :#${exchangeProperty.jobId}, now(), now()
  FROM promoted
ON CONFLICT (document_id) DO UPDATE
   SET knowledge_base_id = EXCLUDED.knowledge_base_id,
       content_hash = EXCLUDED.content_hash,
       status = 'indexed',
       run = 'DONE',
       progress_msg = EXCLUDED.progress_msg,
       chunk_count = EXCLUDED.chunk_count,
       last_error = NULL,
       last_job_id = EXCLUDED.last_job_id,
       synced_at = now(),
       updated_at = now()
