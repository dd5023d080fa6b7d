-- Jobs per status, for the ragsync.jobs gauge and the dashboard.
SELECT status, count(*) AS jobs
  FROM sync_job
 GROUP BY status
