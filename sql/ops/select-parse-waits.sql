-- Parse waits (parse started -> job ended) of the jobs this instance ran that ended in the last 10 minutes.
-- Only the claiming instance reports a job, so a cluster counts each parse once; the caller skips repeats.
SELECT id AS job_id,
       status AS outcome,
       CAST(EXTRACT(EPOCH FROM (ended_at - parse_started_at)) * 1000 AS BIGINT) AS wait_ms
  FROM sync_job
 WHERE claimed_by = :#${properties:app.instance-id}
   AND parse_started_at IS NOT NULL
   AND parse_started_at >= started_at
   AND status IN ('indexed', 'failed')
   AND ended_at >= now() - INTERVAL '10 minutes'
