-- The scheduler claims a due source for one batch (instances sharing the database never run it twice).
UPDATE kb_rest_cursors
   SET scheduler_lease_until = now() + interval '10 minutes'
 WHERE source_id = :#${exchangeProperty.sourceId}
   AND (scheduler_lease_until IS NULL OR scheduler_lease_until < now())
   AND (retry_after_until IS NULL OR retry_after_until <= now())
