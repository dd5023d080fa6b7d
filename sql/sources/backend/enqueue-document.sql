-- Enqueues a sync of one document on request (HTTP API); coalesces with a pending job. A tenant-bound caller
-- reaches its own tenant's documents only (callerTenant NULL: the operator or a platform-wide credential).
SELECT d.id AS document_id, ragsync_enqueue(d.id, d.knowledge_base_id, 'upsert', 'api') AS job_id
  FROM document d
  JOIN knowledge_base k ON k.id = d.knowledge_base_id
 WHERE d.id = :#${exchangeProperty.documentId}
   AND (CAST(:#${exchangeProperty.callerTenant} AS TEXT) IS NULL
        OR k.tenant = CAST(:#${exchangeProperty.callerTenant} AS TEXT))
