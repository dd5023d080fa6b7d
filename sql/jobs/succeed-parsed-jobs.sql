-- Succeed, for the documents one tick of the parse tracker found parsed (ParsedDocuments.Batch): one statement.
SELECT * FROM ragsync_jobs_parsed(CAST(:#${body.jobIds} AS BIGINT[]), CAST(:#${body.datasetIds} AS TEXT[]),
    CAST(:#${body.messages} AS TEXT[]), CAST(:#${body.progress} AS TEXT[]), CAST(:#${body.chunks} AS BIGINT[]),
    CAST(:#${body.claims} AS INT[]))
