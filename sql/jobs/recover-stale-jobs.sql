-- Maintenance: jobs whose lease ran out go back to the queue, a retry counted ('lease_expired').
SELECT * FROM ragsync_jobs_recover_stale(CAST(:#${properties:app.jobs.retry.max-attempts} AS BIGINT))
