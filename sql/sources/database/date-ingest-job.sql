-- (hub) The queued job of a relayed item waits in the queue from the item's creation in its source, so the claim's
-- FIFO by created_at is the manager's order, not the relay's, and its change dates from the outbox row (freshness
-- counts the wait for the relay). A job that was already waiting keeps the earlier times.
UPDATE sync_job j
   SET created_at = CASE WHEN j.created_at = now() THEN i.created_at ELSE least(j.created_at, i.created_at) END,
       changed_at = least(j.changed_at, :changed_at)
  FROM source_db_row m
  JOIN ingest_queue_item i ON i.id = m.local_id
 WHERE m.source_db = :source AND m.kind = 'ingest_queue_item' AND m.remote_id = :id
   AND j.id = i.sync_job_id AND j.status = 'queued'
