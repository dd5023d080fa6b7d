-- (hub) A newly relayed item has its state and first log line (written by V11's trigger) to write back.
UPDATE source_db_row m
   SET changed_updated_at = i.updated_at,
       changed_log_id = greatest(m.changed_log_id, coalesce((SELECT max(l.id) FROM ingest_log l WHERE l.item_id = i.id), 0))
  FROM ingest_queue_item i
 WHERE m.source_db = :source AND m.kind = 'ingest_queue_item' AND m.remote_id = :id
   AND i.id = m.local_id
