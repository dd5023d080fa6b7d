-- Change-to-searchable times of the upserts this instance ran that ended in the last 10 minutes (RAGFlow: parse
-- DONE; local: chunks committed). Only the claiming instance reports a job; the caller skips repeats (a requeued job ends again: a new sample).
SELECT id AS job_id,
       ended_at,
       knowledge_base_id,
       source,
       CAST(EXTRACT(EPOCH FROM (ended_at - coalesce(changed_at, created_at))) * 1000 AS BIGINT) AS freshness_ms
  FROM sync_job
 WHERE claimed_by = :#${properties:app.instance-id}
   AND op = 'upsert'
   AND status IN ('indexed', 'truncated')
   AND ended_at >= now() - INTERVAL '10 minutes'
