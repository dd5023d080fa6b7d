-- The current documents of one knowledge base with what was synced, and whether a job is about to change them.
SELECT d.id AS document_id,
       d.file_path,
       s.ragflow_document_id,
       s.ragflow_dataset_id,
       s.status AS sync_status,
       EXISTS (SELECT 1 FROM sync_job j
                WHERE j.document_id = d.id AND j.status IN ('queued', 'processing')) AS busy
  FROM document d
  LEFT JOIN document_sync s ON s.document_id = d.id
 WHERE d.knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
