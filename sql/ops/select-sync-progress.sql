-- Progress of the current bulk of work (view from V40__ops_views.sql), for the periodic progress log line. No time
-- estimate while a running job's holder is gone (its lease ran out): that job ends only once recovered.
SELECT p.total, p.done, p.failed, p.remaining, p.percent, p.rate_per_minute,
       CASE WHEN a.abandoned = 0 THEN p.eta_seconds END AS eta_seconds,
       CASE WHEN a.abandoned > 0 THEN 'unknown (' || a.abandoned || ' job(s) held by a gone process)'
            WHEN p.eta_seconds IS NULL THEN 'unknown'
            ELSE p.eta_seconds || ' s' END AS eta,
       to_char(p.since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
  FROM ops_sync_progress p
  CROSS JOIN (SELECT count(*) AS abandoned FROM sync_job WHERE status = 'processing' AND phase = 'sync' AND lease_until < now()) a
