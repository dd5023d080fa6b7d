-- The process that holds a singleton lease: another run in the same process (an approval of held deletions while
-- a reconciliation runs) is refused like one on another instance, while a restarted instance takes back at once
-- the lease its killed predecessor held under the same instance id.
ALTER TABLE ragsync_singleton_lease ADD COLUMN holder_process TEXT;
