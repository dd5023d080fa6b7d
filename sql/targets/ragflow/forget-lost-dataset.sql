-- The dataset was deleted by hand in RAGFlow: drop the mapping, forget what was synced into it, and enqueue
-- every document of the knowledge base (the first upsert creates a new dataset, the others reuse it).
WITH dropped AS (
    DELETE FROM kb_dataset
     WHERE knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
       AND ragflow_dataset_id = :#${exchangeProperty.datasetId}
    RETURNING ragflow_dataset_id
), reset AS (
    UPDATE document_sync s
       SET ragflow_document_id = NULL, ragflow_dataset_id = NULL, content_hash = NULL, meta_hash = NULL,
           upload_pending = false, run = NULL, chunk_count = NULL, updated_at = now()
     WHERE s.ragflow_dataset_id IN (SELECT ragflow_dataset_id FROM dropped)
)
SELECT d.id AS document_id, ragsync_enqueue(d.id, d.knowledge_base_id, 'upsert', 'reconcile') AS job_id
  FROM document d
 WHERE d.knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
   AND EXISTS (SELECT 1 FROM dropped)
