-- (hub) Log lines of a source's items not yet written back, oldest first (items through the partial index of V97).
SELECT m.remote_id, l.id, l.level, l.event, l.message, l.created_at
  FROM source_db_row m
  JOIN ingest_log l ON l.item_id = m.local_id AND l.id > m.mirrored_log_id
 WHERE m.source_db = :source AND m.kind = 'ingest_queue_item'
   AND m.changed_log_id > m.mirrored_log_id
 ORDER BY l.id
 LIMIT :batchSize
