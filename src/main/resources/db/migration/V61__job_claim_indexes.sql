-- The claim (sql/jobs/claim-jobs.sql) reads the head of the queue in FIFO order and checks, per candidate,
-- whether its document has a job running. Both are index lookups, so a claim costs the same with ten queued
-- jobs or a hundred thousand (it used to rank the whole queue on every poll).
CREATE INDEX sync_job_queued_fifo_idx ON sync_job (created_at, id) WHERE status = 'queued';
CREATE INDEX sync_job_processing_document_idx ON sync_job (document_id) WHERE status = 'processing';
