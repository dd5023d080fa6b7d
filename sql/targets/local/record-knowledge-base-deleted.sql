-- A deleted knowledge base's documents are gone from the local index too.
UPDATE document_sync
   SET status = 'deleted',
       chunk_count = NULL,
       content_hash = NULL,
       meta_hash = NULL,
       last_error = NULL,
       last_job_id = :#${exchangeProperty.jobId},
       synced_at = now(),
       updated_at = now()
 WHERE knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
   AND status <> 'deleted'
