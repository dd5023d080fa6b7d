-- The oldest jobs not finished yet (queued, waiting for a retry, or being worked on), oldest first.
SELECT coalesce(json_agg(w ORDER BY w."createdAt", w."jobId"), '[]'::json)::text AS jobs
  FROM (SELECT j.id AS "jobId", j.document_id AS "documentId", d.title, j.knowledge_base_id AS "knowledgeBaseId",
               j.op, j.target, j.status, j.phase, j.retry_count AS "retryCount", j.claimed_by AS "claimedBy",
               j.last_error AS "lastError", j.created_at AS "createdAt", j.next_retry_at AS "nextRetryAt",
               CAST(EXTRACT(EPOCH FROM (now() - j.created_at)) AS BIGINT) AS "ageSeconds"
          FROM sync_job j
          LEFT JOIN document d ON d.id = j.document_id
         WHERE j.status IN ('queued', 'processing')
         ORDER BY j.created_at, j.id
         LIMIT :#${exchangeProperty.limit}) w
