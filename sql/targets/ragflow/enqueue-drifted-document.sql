-- Reconciliation found the document missing from RAGFlow or stale there: forget the recorded content hash
-- (so the upsert uploads again, replacing the stored RAGFlow document if any) and enqueue an upsert.
WITH forgotten AS (
    UPDATE document_sync SET content_hash = NULL, updated_at = now()
     WHERE document_id = :#${body}
)
SELECT d.id AS document_id, ragsync_enqueue(d.id, d.knowledge_base_id, 'upsert', 'reconcile') AS job_id
  FROM document d
 WHERE d.id = :#${body}
