-- The one rule for a job that leaves 'processing' without an outcome (released, deferred, rescheduled, returned by
-- a stop, a restart or a lease recovery): back to the queue, unless a newer event of the same document is already
-- queued; then that one carries the document's latest state and this one ends 'superseded'.
CREATE FUNCTION ragsync_job_requeue_status(p_document_id BIGINT)
RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM sync_job n
                              WHERE n.document_id = p_document_id AND n.status = 'queued')
                THEN 'superseded' ELSE 'queued' END
$$;
