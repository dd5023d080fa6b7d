-- Operator release of a job whose holder's lease ran out; the job as it was and released_to (NULL: not released).
SELECT * FROM ragsync_job_release_abandoned(CAST(:#${exchangeProperty.jobId} AS BIGINT))
