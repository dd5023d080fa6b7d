-- Heartbeat: this process is alive, so the leases of the jobs its workers run are extended. Only this process's
-- claims (its claim token): a process restarted under the same instance id must not keep its predecessor's jobs
-- alive. Only the jobs it holds (JobSlots): a claim whose answer was lost with its connection left jobs under this
-- token that no worker runs, and their leases must run out. A job that has run longer than
-- app.jobs.max-run-seconds is no longer renewed (taken as hung): its lease runs out and the lease recovery
-- (sql/jobs/recover-stale-jobs.sql) returns it to the queue. A killed process renews nothing.
UPDATE sync_job
   SET lease_until = now() + make_interval(secs => :#${properties:app.jobs.lease-seconds})
 WHERE status = 'processing'
   AND phase = 'sync'
   AND claim_token = :#${bean:processClaim?method=token}
   AND started_at > now() - make_interval(secs => :#${properties:app.jobs.max-run-seconds})
   AND id = ANY(CAST(string_to_array(:#${bean:jobSlots?method=heldJobIds}, ',') AS BIGINT[]))
