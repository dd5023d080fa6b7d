-- Scheduler candidates: enabled sources with a schedule, not backoffice-only, not waiting for Retry-After
-- (or an error back-off), not claimed by another instance. restSchedule decides which are due.
SELECT s.id AS source_id, s.schedule, c.done, c.run_started_at
  FROM kb_sources s
  JOIN kb_rest_cursors c ON c.source_id = s.id
 WHERE s.enabled
   AND NOT s.backoffice_only
   AND s.schedule IS NOT NULL
   AND (c.retry_after_until IS NULL OR c.retry_after_until <= now())
   AND (c.scheduler_lease_until IS NULL OR c.scheduler_lease_until < now())
 ORDER BY s.id
