-- (hub) An ingestion item deleted in its source: its hub row (with its log) and its origin; its document stays.
WITH gone AS (
    DELETE FROM source_db_row m
     WHERE m.source_db = :source AND m.kind = 'ingest_queue_item' AND m.remote_id = :id
    RETURNING m.local_id
)
DELETE FROM ingest_queue_item i USING gone WHERE i.id = gone.local_id
