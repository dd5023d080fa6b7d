-- The lease recovery's note says what is known: the holder no longer renewed the lease. It may have stopped, been
-- cut off, or never had the job on a worker (a claim whose answer was lost with its connection); a job running
-- past app.jobs.max-run-seconds is no longer renewed either. V91 said "stopped before finishing" in every case.
CREATE OR REPLACE FUNCTION ragsync_jobs_recover_stale(p_max_attempts BIGINT)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, status TEXT, last_error TEXT)
LANGUAGE sql AS $$
    SELECT r.job_id, r.document_id, r.status, h.note
      FROM (SELECT j.id, 'lease expired: instance ' || coalesce(j.claimed_by, '?')
                   || ' no longer renewed it (stopped, cut off, or the job ran past its time limit)' AS note
              FROM sync_job j
             WHERE j.status = 'processing' AND j.phase = 'sync' AND j.lease_until < now()
               FOR UPDATE) h
     CROSS JOIN LATERAL ragsync_job_return(h.id, 'lease_expired', h.note, true, p_max_attempts, h.note, NULL) r
$$;
