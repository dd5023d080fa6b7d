-- Fail without retry (download_failed, config_error, or failed with a dead letter).
SELECT * FROM ragsync_job_fail(CAST(:#${variable.job.id} AS BIGINT), CAST(:#${variable.failure.outcome} AS TEXT),
    CAST(:#${variable.failure.message} AS TEXT), CAST(:#${variable.failure.routeId} AS TEXT),
    CAST(:#${variable.job.row} AS TEXT), CAST(:#${variable.job.claim} AS INT))
