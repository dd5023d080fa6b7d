-- What RAGSync knows of a document downstream (same column names as select-document-for-sync.sql), with
-- the dataset of its knowledge base as a fallback when the document never got its own.
SELECT j.document_id,
       s.ragflow_dataset_id AS synced_dataset_id,
       s.ragflow_document_id,
       s.ragflow_document_name,
       s.status             AS sync_status,
       coalesce(s.upload_pending, false) AS upload_pending,
       m.ragflow_dataset_id AS kb_dataset_id
  FROM (SELECT CAST(:#${exchangeProperty.documentId} AS BIGINT) AS document_id,
               CAST(:#${exchangeProperty.knowledgeBaseId} AS BIGINT) AS knowledge_base_id) j
  LEFT JOIN document_sync s ON s.document_id = j.document_id
  LEFT JOIN kb_dataset m ON m.knowledge_base_id = j.knowledge_base_id
