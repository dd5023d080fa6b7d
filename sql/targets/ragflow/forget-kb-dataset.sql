-- The knowledge base is gone (and its dataset, unless configured to keep it): drop the mapping, mark its
-- documents deleted and close the pending per-document delete jobs that the dataset delete made moot.
WITH dropped AS (
    DELETE FROM kb_dataset WHERE knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
    RETURNING ragflow_dataset_id
), docs AS (
    UPDATE document_sync s
       SET status = 'deleted', ragflow_document_id = NULL, upload_pending = false, content_hash = NULL, meta_hash = NULL,
           run = NULL, chunk_count = NULL, synced_at = now(), updated_at = now()
     WHERE s.ragflow_dataset_id IN (SELECT ragflow_dataset_id FROM dropped)
    RETURNING s.document_id
)
UPDATE sync_job j
   SET status = 'deleted', ended_at = now(), updated_at = now(),
       rag_message = 'removed together with its knowledge base dataset'
 WHERE j.knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
   AND j.op = 'delete'
   AND j.status = 'queued'
