-- A job its target cannot take now (RAGFlow's breaker open, a Retry-After, LightRAG still processing): back to the
-- queue due after the deferral's seconds WITHOUT counting an attempt, or superseded; returns the new status and the
-- log row's message.
SELECT * FROM ragsync_job_defer(CAST(:#${exchangeProperty.jobId} AS BIGINT),
    CAST(:#${variable.deferral.message} AS TEXT), CAST(:#${variable.deferral.seconds} AS DOUBLE PRECISION),
    'WARN', 'deferred', CAST(:#${variable.job.claim} AS INT))
