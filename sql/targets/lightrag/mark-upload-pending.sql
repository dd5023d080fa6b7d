-- Written before the upload: if its answer is lost, the next attempt finds LightRAG's copy by this name.
-- Parameters from lightragSync.pendingRow.
INSERT INTO lightrag_document (document_id, knowledge_base_id, pending_file_name, pending_hash, pending_since,
                               updated_at)
VALUES (:#${exchangeProperty.documentId}, :#${exchangeProperty.knowledgeBaseId}, :#fileName,
        :#contentHash, now(), now())
ON CONFLICT (document_id) DO UPDATE
   SET knowledge_base_id = EXCLUDED.knowledge_base_id,
       pending_file_name = EXCLUDED.pending_file_name,
       pending_hash = EXCLUDED.pending_hash,
       pending_track_id = NULL,
       pending_doc_id = NULL,
       pending_since = now(),
       updated_at = now()
