-- Succeed: the outcome the target route set (indexed | truncated | deleted, or parsing: the parse tracker ends it).
SELECT * FROM ragsync_job_succeed(CAST(:#${variable.job.id} AS BIGINT), CAST(:#${exchangeProperty.outcome} AS TEXT),
    CAST(:#${exchangeProperty.ragMessage} AS TEXT), CAST(:#${exchangeProperty.incompleteReason} AS TEXT),
    CAST(:#${exchangeProperty.ragflowRun} AS TEXT), CAST(:#${exchangeProperty.progressMessage} AS TEXT),
    CAST(:#${exchangeProperty.chunkCount} AS BIGINT), CAST(:#${exchangeProperty.metaHash} AS TEXT),
    CAST(:#${properties:app.jobs.lease-seconds} AS DOUBLE PRECISION), CAST(:#${variable.job.claim} AS INT))
