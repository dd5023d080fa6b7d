-- Fail -> retry (back to the queue with a backoff) or, once the retries are used up, failed with a dead letter.
SELECT * FROM ragsync_job_retry(CAST(:#${variable.job.id} AS BIGINT), CAST(:#${variable.failure.message} AS TEXT),
    CAST(:#${variable.failure.retryAfterSeconds} AS DOUBLE PRECISION),
    CAST(:#${properties:app.jobs.retry.max-attempts} AS BIGINT),
    CAST(:#${properties:app.jobs.retry.base-delay-seconds} AS DOUBLE PRECISION),
    CAST(:#${properties:app.jobs.retry.max-delay-seconds} AS DOUBLE PRECISION),
    CAST(:#${variable.failure.routeId} AS TEXT), CAST(:#${variable.job.row} AS TEXT),
    CAST(:#${variable.job.claim} AS INT))
