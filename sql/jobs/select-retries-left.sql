-- Whether the job may be retried once more (app.jobs.retry.max-attempts).
SELECT retry_count + 1 <= :#${properties:app.jobs.retry.max-attempts} AS retries_left
  FROM sync_job
 WHERE id = :#${variable.job.id}
