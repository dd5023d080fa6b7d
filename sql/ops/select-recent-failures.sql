-- The most recent failed / download_failed / config_error jobs with their error, and truncated ones (the target
-- holds the document only in part) with the reason, newest first. "requeueable"
-- says whether POST /api/jobs/requeue would take it (the newest job of its document, nothing pending).
SELECT coalesce(json_agg(f ORDER BY f."endedAt" DESC NULLS LAST, f."jobId" DESC), '[]'::json)::text AS jobs
  FROM (SELECT j.id AS "jobId", j.document_id AS "documentId", d.title, j.knowledge_base_id AS "knowledgeBaseId",
               j.op, j.target, j.status, j.retry_count AS "retryCount", j.last_error AS "lastError",
               j.ended_at AS "endedAt",
               NOT EXISTS (SELECT 1 FROM sync_job n
                            WHERE n.document_id = j.document_id
                              AND (n.id > j.id OR n.status IN ('queued', 'processing'))) AS requeueable
          FROM sync_job j
          LEFT JOIN document d ON d.id = j.document_id
         WHERE j.status IN ('failed', 'download_failed', 'config_error', 'truncated')
         ORDER BY j.ended_at DESC NULLS LAST, j.id DESC
         LIMIT :#${exchangeProperty.limit}) f
