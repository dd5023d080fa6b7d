-- (source database) One line of the item's log, unless it is already there (a write-back repeated after a crash).
INSERT INTO ingest_log (item_id, level, event, message, created_at)
SELECT :remote_id, :level, :event, :message, :created_at FROM DUAL
 WHERE EXISTS (SELECT 1 FROM ingest_queue_item i WHERE i.id = :remote_id)
   AND NOT EXISTS (SELECT 1 FROM ingest_log l
                    WHERE l.item_id = :remote_id AND l.created_at = :created_at AND l.event = :event
                      AND l.message <=> :message)
