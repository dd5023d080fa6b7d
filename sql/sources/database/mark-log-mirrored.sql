-- (hub) The item's log lines up to this id are in its source.
UPDATE source_db_row
   SET mirrored_log_id = greatest(mirrored_log_id, :id)
 WHERE source_db = :source AND kind = 'ingest_queue_item' AND remote_id = :remote_id
