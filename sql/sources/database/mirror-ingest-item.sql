-- (hub) A source's new ingestion item, once: V11's trigger creates or updates the node's document and enqueues
-- its job (source 'queue'), as for an item the manager writes in the hub's own database.
WITH inserted AS (
    INSERT INTO ingest_queue_item (document_node_id, storage_path, created_at)
    SELECT m.local_id, :storage_path, :created_at
      FROM source_db_row m
     WHERE m.source_db = :source AND m.kind = 'ingest_document' AND m.remote_id = :node_id
       AND NOT EXISTS (SELECT 1 FROM source_db_row i
                        WHERE i.source_db = :source AND i.kind = 'ingest_queue_item' AND i.remote_id = :id)
    RETURNING id
)
INSERT INTO source_db_row (source_db, kind, remote_id, local_id)
SELECT :source, 'ingest_queue_item', :id, inserted.id FROM inserted
