-- (hub) The item's state up to this updated_at is in its source.
UPDATE source_db_row
   SET mirrored_updated_at = :updated_at
 WHERE source_db = :source AND kind = 'ingest_queue_item' AND remote_id = :remote_id
