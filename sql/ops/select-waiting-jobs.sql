-- The oldest jobs not finished yet (queued, waiting for a retry, or being worked on), oldest first. A running job
-- names its holder and its lease: once the lease has run out the holder is gone (killed, cut off) and the job
-- waits for the lease recovery or an operator's release (POST /api/jobs/{id}/release).
SELECT coalesce(json_agg(w ORDER BY w."createdAt", w."jobId"), '[]'::json)::text AS jobs
  FROM (SELECT j.id AS "jobId", j.document_id AS "documentId", d.title, j.knowledge_base_id AS "knowledgeBaseId",
               j.op, j.target, j.status, j.phase, j.retry_count AS "retryCount", j.claimed_by AS "claimedBy",
               j.last_error AS "lastError", j.created_at AS "createdAt", j.next_retry_at AS "nextRetryAt",
               CAST(EXTRACT(EPOCH FROM (now() - j.created_at)) AS BIGINT) AS "ageSeconds",
               j.started_at AS "startedAt", j.lease_until AS "leaseUntil",
               CAST(floor(EXTRACT(EPOCH FROM (j.lease_until - now()))) AS BIGINT) AS "leaseSecondsLeft",
               (j.status = 'processing' AND j.phase = 'sync' AND j.lease_until < now()) AS "holderGone"
          FROM sync_job j
          LEFT JOIN document d ON d.id = j.document_id
         WHERE j.status IN ('queued', 'processing')
         ORDER BY j.created_at, j.id
         LIMIT :#${exchangeProperty.limit}) w
