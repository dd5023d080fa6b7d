-- Documents whose latest change is older than the threshold and not searchable yet, and the oldest such wait.
SELECT count(*) AS stale_documents,
       coalesce(CAST(EXTRACT(EPOCH FROM now() - min(coalesce(changed_at, created_at))) AS BIGINT), 0)
           AS oldest_wait_seconds
  FROM sync_job
 WHERE op = 'upsert'
   AND status IN ('queued', 'processing')
   AND coalesce(changed_at, created_at) < now() - make_interval(secs => :#${properties:app.ops.freshness.threshold-seconds})
