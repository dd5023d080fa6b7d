-- Release: a claimed job whose target is paused goes back to the queue untouched (or is superseded).
SELECT * FROM ragsync_job_release(CAST(:#${variable.job.id} AS BIGINT), CAST(:#${variable.job.claim} AS INT))
