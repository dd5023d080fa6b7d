-- Retry of one pushed source with nothing in error or pending: sync it again (coalesces with a pending job).
SELECT ragsync_enqueue(d.id, d.knowledge_base_id, 'upsert', 'push') AS job_id, d.id AS document_id, 'upsert' AS op
  FROM document d
 WHERE d.id = :#${variable.retryDocumentId}
