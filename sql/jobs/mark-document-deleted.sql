INSERT INTO document_sync (document_id, knowledge_base_id, status, last_job_id, synced_at, updated_at)
VALUES (:#${exchangeProperty.documentId}, :#${exchangeProperty.knowledgeBaseId}, 'deleted',
        :#${exchangeProperty.jobId}, now(), now())
ON CONFLICT (document_id) DO UPDATE
   SET status = 'deleted',
       ragflow_document_id = NULL,
       upload_pending = false,
       content_hash = NULL,
       meta_hash = NULL,
       run = NULL,
       chunk_count = NULL,
       last_error = NULL,
       last_job_id = EXCLUDED.last_job_id,
       synced_at = now(),
       updated_at = now()
