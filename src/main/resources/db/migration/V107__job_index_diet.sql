-- Fewer index entries per job transition, and no status index the claim can misuse.
--
-- Every transition of a job (claim, parse started, end) changes an indexed column, so PostgreSQL writes a new
-- entry into each index whose predicate the new row version matches. The full (status, next_retry_at) index took
-- one on every transition and served nothing the partial indexes do not: queued jobs are read through
-- sync_job_queued_fifo_idx and sync_job_pending_document_uq, running ones through
-- sync_job_processing_document_idx and sync_job_parsing_idx, failures through sync_job_failures_idx. Worse, with
-- statistics that see few running jobs, the claim's "no other job of this document running" probe chose it and
-- read every running job once per candidate (20 candidates x 200 parsing jobs per claim) instead of one lookup by
-- document. Ended jobs keep a status index, for the counts by status (ops_job_counts): a job enters it once.
DROP INDEX sync_job_status_idx;
CREATE INDEX sync_job_ended_status_idx ON sync_job (status) WHERE status NOT IN ('queued', 'processing');

-- ended_at is read only as a range (recent ends, failures), which never matches NULL: open jobs stay out.
DROP INDEX sync_job_ended_at_idx;
CREATE INDEX sync_job_ended_at_idx ON sync_job (ended_at) WHERE ended_at IS NOT NULL;

-- Jobs per status, each part read from an index of its own; a status without jobs has no row.
CREATE VIEW ops_job_counts AS
SELECT status, count(*) AS jobs
  FROM sync_job
 WHERE status NOT IN ('queued', 'processing')
 GROUP BY status
UNION ALL
SELECT 'queued', count(*) FROM sync_job WHERE status = 'queued' HAVING count(*) > 0
UNION ALL
SELECT 'processing', count(*) FROM sync_job WHERE status = 'processing' HAVING count(*) > 0;
