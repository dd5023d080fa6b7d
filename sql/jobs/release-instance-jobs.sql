-- Graceful stop: the jobs this process still holds go back to the queue, each with a 'shutdown' log row.
SELECT * FROM ragsync_jobs_release_instance(CAST(:#${properties:app.instance-id} AS TEXT),
    CAST(:#${bean:processClaim?method=token} AS TEXT))
