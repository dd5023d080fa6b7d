-- Freshness per knowledge base and source: p50/p95 of change-to-searchable over the last hour, and the documents
-- waiting longer than the threshold now (stale). JSON for the dashboard.
WITH searchable AS (
    SELECT knowledge_base_id, source,
           EXTRACT(EPOCH FROM (ended_at - coalesce(changed_at, created_at))) AS seconds
      FROM sync_job
     WHERE status IN ('indexed', 'truncated')
       AND op = 'upsert'
       AND ended_at >= now() - INTERVAL '1 hour'
), served AS (
    SELECT knowledge_base_id, source, count(*) AS documents,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) AS p95
      FROM searchable
     GROUP BY knowledge_base_id, source
), stale AS (
    SELECT knowledge_base_id, source, count(*) AS documents,
           max(EXTRACT(EPOCH FROM now() - coalesce(changed_at, created_at))) AS oldest
      FROM sync_job
     WHERE op = 'upsert'
       AND status IN ('queued', 'processing')
       AND coalesce(changed_at, created_at)
           < now() - make_interval(secs => :#${properties:app.ops.freshness.threshold-seconds})
     GROUP BY knowledge_base_id, source
)
SELECT json_build_object(
           'thresholdSeconds', CAST(:#${properties:app.ops.freshness.threshold-seconds} AS INT),
           'rows', coalesce(json_agg(r ORDER BY r."staleDocuments" DESC, r."knowledgeBaseId", r.source), '[]'::json)
       )::text AS freshness
  FROM (SELECT coalesce(s.knowledge_base_id, t.knowledge_base_id) AS "knowledgeBaseId",
               kb.name AS "knowledgeBase",
               coalesce(s.source, t.source) AS source,
               coalesce(s.documents, 0) AS "searchableLastHour",
               round(CAST(s.p50 AS NUMERIC), 1) AS "p50Seconds",
               round(CAST(s.p95 AS NUMERIC), 1) AS "p95Seconds",
               coalesce(t.documents, 0) AS "staleDocuments",
               round(CAST(t.oldest AS NUMERIC)) AS "oldestStaleSeconds"
          FROM served s
          FULL JOIN stale t ON coalesce(t.knowledge_base_id, 0) = coalesce(s.knowledge_base_id, 0) AND t.source = s.source
          LEFT JOIN knowledge_base kb ON kb.id = coalesce(s.knowledge_base_id, t.knowledge_base_id)) r
