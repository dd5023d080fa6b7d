-- Claims up to claim.limit due jobs for this process (the ProcessClaim.Claim property claim): ragsync_job_claim,
-- V104 and V108, says which and why.
SELECT * FROM ragsync_job_claim(CAST(:#${exchangeProperty.claim.limit} AS INT), CAST(:#${exchangeProperty.claim.token} AS TEXT),
    CAST(:#${properties:app.instance-id} AS TEXT), CAST(:#${properties:app.jobs.lease-seconds} AS DOUBLE PRECISION),
    CAST(:#${exchangeProperty.claim.claiming} AS BOOLEAN), CAST(:#${exchangeProperty.claim.ragflowOpen} AS BOOLEAN),
    CAST(:#${exchangeProperty.claim.queueSingle} AS BOOLEAN),
    CAST(:#${properties:app.ragflow.backpressure.max-parsing} AS INT),
    CAST(:#${properties:app.ragflow.backpressure.backlog-seconds} AS INT))
