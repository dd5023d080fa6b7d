-- Start: the jobs an earlier process of this instance id held go back to the queue, a retry counted ('restart').
SELECT * FROM ragsync_jobs_release_earlier(CAST(:#${properties:app.instance-id} AS TEXT),
    CAST(:#${bean:processClaim?method=token} AS TEXT), CAST(:#${properties:app.jobs.retry.max-attempts} AS BIGINT))
