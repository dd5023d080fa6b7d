-- Operations (issue 7): read-only views over the job queue for the dashboard (routes/ops/sync-dashboard.camel.yaml)
-- and the gauges (routes/ops/ops-metrics.camel.yaml), plus the indexes their queries need.

-- Queue depth, jobs due now, and the age of the oldest queued job (0 when the queue is empty).
CREATE VIEW ops_queue_state AS
SELECT count(*) AS depth,
       count(*) FILTER (WHERE next_retry_at IS NULL OR next_retry_at <= now()) AS due,
       count(*) FILTER (WHERE next_retry_at > now()) AS waiting_for_retry,
       coalesce(CAST(EXTRACT(EPOCH FROM (now() - min(created_at))) AS BIGINT), 0) AS oldest_age_seconds
  FROM sync_job
 WHERE status = 'queued';

-- Progress of the current bulk of work: every job created since the oldest job that is still pending
-- (queued or processing); done/total, what is left, the recent rate (jobs ended in the last 5 minutes) and
-- the estimated seconds to finish. total = 0 when nothing is pending.
CREATE VIEW ops_sync_progress AS
WITH pending AS (
    SELECT min(created_at) AS since
      FROM sync_job
     WHERE status IN ('queued', 'processing')
), bulk AS (
    SELECT p.since,
           count(j.id) AS total,
           count(j.id) FILTER (WHERE j.status NOT IN ('queued', 'processing')) AS done,
           count(j.id) FILTER (WHERE j.status IN ('failed', 'download_failed', 'config_error')) AS failed
      FROM pending p
      LEFT JOIN sync_job j ON p.since IS NOT NULL AND j.created_at >= p.since
     GROUP BY p.since
), recent AS (
    SELECT count(*) AS ended_5m
      FROM sync_job
     WHERE ended_at >= now() - INTERVAL '5 minutes'
)
SELECT b.total,
       b.done,
       b.failed,
       b.total - b.done AS remaining,
       CASE WHEN b.total = 0 THEN 100 ELSE round(100.0 * b.done / b.total, 1) END AS percent,
       b.since,
       round(r.ended_5m / 5.0, 1) AS rate_per_minute,
       CASE WHEN r.ended_5m = 0 OR b.total = b.done THEN NULL
            ELSE CAST(ceil((b.total - b.done) / (r.ended_5m / 300.0)) AS BIGINT) END AS eta_seconds
  FROM bulk b CROSS JOIN recent r;

-- recent failures (dashboard) and the recent end rate (progress)
CREATE INDEX sync_job_ended_at_idx ON sync_job (ended_at);
CREATE INDEX sync_job_failures_idx ON sync_job (ended_at DESC)
    WHERE status IN ('failed', 'download_failed', 'config_error');
