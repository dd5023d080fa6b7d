-- Operator release of a job whose holder's lease ran out; the job as it was and released_to (NULL: not released).
-- A tenant-bound caller reaches its own tenant's jobs only (callerTenant NULL: the operator or a platform-wide
-- credential); no row: no such job for this caller.
SELECT r.*
  FROM sync_job j
  JOIN knowledge_base k ON k.id = j.knowledge_base_id
 CROSS JOIN LATERAL ragsync_job_release_abandoned(j.id) r
 WHERE j.id = CAST(:#${exchangeProperty.jobId} AS BIGINT)
   AND (CAST(:#${exchangeProperty.callerTenant} AS TEXT) IS NULL
        OR k.tenant = CAST(:#${exchangeProperty.callerTenant} AS TEXT))
