-- Claims name the process, not only the instance: a process restarted under the same instance id (a fixed
-- RAGSYNC_INSTANCE_ID, a pod's name) gets a new token, renews only the leases it took itself and returns its
-- predecessor's jobs to the queue at start (sql/jobs/release-earlier-process-jobs.sql).
ALTER TABLE sync_job ADD COLUMN claim_token TEXT;

-- The scheduler's claim on a REST source, renewed by its holder's heartbeat like a job's lease.
ALTER TABLE kb_rest_cursors ADD COLUMN scheduler_claimed_by TEXT;
ALTER TABLE kb_rest_cursors ADD COLUMN scheduler_claim_token TEXT;
