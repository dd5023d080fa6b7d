-- After reconciliation deleted orphans: a document_sync row still pointing at one of them belongs to a document
-- deleted without its event; record it as deleted from RAGFlow.
UPDATE document_sync s
   SET status = 'deleted', ragflow_document_id = NULL, upload_pending = false, content_hash = NULL,
       meta_hash = NULL, run = NULL, chunk_count = NULL, synced_at = now(), updated_at = now(),
       last_error = 'removed by reconciliation: the document no longer exists'
 WHERE s.ragflow_document_id IN (:#in:${exchangeProperty.batch})
   AND NOT EXISTS (SELECT 1 FROM document d WHERE d.id = s.document_id)
