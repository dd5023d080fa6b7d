-- A job going back to the queue decides 'queued' or 'superseded' (ragsync_job_requeue_status, V90) from what its
-- snapshot shows. An enqueue of the same document (or knowledge base) that commits meanwhile holds the queued row
-- the snapshot did not see; the job's update then meets the pending unique index and failed with unique_violation:
-- the retry, deferral or release was lost (the job stayed 'processing' until its lease ran out), and in the lease
-- recovery the whole pass failed. The newer queued event supersedes the job, as when the snapshot shows it.
DROP FUNCTION ragsync_job_return(BIGINT, TEXT, TEXT, BOOLEAN, BIGINT, TEXT, TIMESTAMPTZ, TEXT, INT);

-- V112's return with the status it ends in given (p_superseded) instead of decided from the snapshot.
CREATE FUNCTION ragsync_job_return_as(p_job_id BIGINT, p_event TEXT, p_note TEXT, p_count_retry BOOLEAN,
                                      p_max_attempts BIGINT, p_last_error TEXT, p_next_retry_at TIMESTAMPTZ,
                                      p_level TEXT, p_claim INT, p_superseded BOOLEAN)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, status TEXT, retry_count INT, next_retry_at TIMESTAMPTZ,
               message TEXT)
LANGUAGE sql AS $$
    WITH decided AS (
        SELECT j.id, CASE WHEN p_count_retry AND j.retry_count + 1 > p_max_attempts THEN 'failed'
                          WHEN p_superseded THEN 'superseded'
                          ELSE ragsync_job_requeue_status(j.document_id) END AS status
          FROM sync_job j
         WHERE j.id = p_job_id
    ), returned AS (
        UPDATE sync_job j
           SET status = n.status,
               ended_at = CASE WHEN n.status = 'queued' THEN NULL ELSE now() END,
               retry_count = j.retry_count + CASE WHEN p_count_retry THEN 1 ELSE 0 END,
               phase = NULL,
               claimed_by = NULL,
               claim_token = NULL,
               lease_until = NULL,
               last_error = coalesce(p_last_error, j.last_error),
               next_retry_at = coalesce(p_next_retry_at, j.next_retry_at),
               updated_at = now()
          FROM decided n
         WHERE j.id = n.id
           AND j.status = 'processing'
           AND (p_claim IS NULL OR j.claims = p_claim)
        RETURNING j.id, j.document_id, j.status, j.retry_count, j.next_retry_at, p_note || '; now ' || j.status AS message
    ), logged AS (
        INSERT INTO sync_job_log (job_id, level, event, message)
        SELECT r.id, p_level, coalesce(p_event, r.status), r.message
          FROM returned r
         WHERE p_note IS NOT NULL
    )
    SELECT * FROM returned
$$;

-- Every way back to the queue, as V112's: decided from the snapshot, superseded when a concurrent enqueue's row
-- turns out to hold the document's place in the queue.
CREATE FUNCTION ragsync_job_return(p_job_id BIGINT, p_event TEXT, p_note TEXT, p_count_retry BOOLEAN,
                                   p_max_attempts BIGINT, p_last_error TEXT, p_next_retry_at TIMESTAMPTZ,
                                   p_level TEXT DEFAULT 'WARN', p_claim INT DEFAULT NULL)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, status TEXT, retry_count INT, next_retry_at TIMESTAMPTZ,
               message TEXT)
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        RETURN QUERY SELECT * FROM ragsync_job_return_as(p_job_id, p_event, p_note, p_count_retry, p_max_attempts,
                                                         p_last_error, p_next_retry_at, p_level, p_claim, false);
    EXCEPTION WHEN unique_violation THEN
        RETURN QUERY SELECT * FROM ragsync_job_return_as(p_job_id, p_event, p_note, p_count_retry, p_max_attempts,
                                                         p_last_error, p_next_retry_at, p_level, p_claim, true);
    END;
END $$;
