-- RAGFlow unavailable as a whole (breaker open) or asking to wait (Retry-After): back to the queue due after
-- :#deferSeconds WITHOUT counting an attempt, or superseded; returns the new status and the log row's message.
SELECT * FROM ragsync_job_defer(CAST(:#${exchangeProperty.jobId} AS BIGINT),
    CAST(:#${exchangeProperty.errorMessage} AS TEXT), CAST(:#${exchangeProperty.deferSeconds} AS DOUBLE PRECISION),
    CAST(:#${exchangeProperty.logLevel} AS TEXT), CAST(:#${exchangeProperty.logEvent} AS TEXT))
