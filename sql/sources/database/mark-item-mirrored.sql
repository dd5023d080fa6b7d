-- (hub) The item's state up to this updated_at is in its source; a later change (the trigger moved
-- changed_updated_at on) keeps it pending.
UPDATE source_db_row
   SET mirrored_updated_at = :updated_at,
       changed_updated_at = CASE WHEN changed_updated_at IS NULL OR changed_updated_at <= :updated_at
                                 THEN :updated_at ELSE changed_updated_at END
 WHERE source_db = :source AND kind = 'ingest_queue_item' AND remote_id = :remote_id
