-- Enqueues a sync of one document on request (HTTP API); coalesces with a pending job.
SELECT d.id AS document_id, ragsync_enqueue(d.id, d.knowledge_base_id, 'upsert', 'api') AS job_id
  FROM document d
 WHERE d.id = :#${exchangeProperty.documentId}
