-- The attempt that used up the retries counts too.
UPDATE sync_job SET retry_count = retry_count + 1 WHERE id = :#${variable.job.id}
