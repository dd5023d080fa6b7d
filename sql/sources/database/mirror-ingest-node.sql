-- (hub) The document node of a source's ingestion item, updated or inserted through its origin row.
WITH known AS (
    SELECT m.local_id
      FROM source_db_row m
      JOIN ingest_document n ON n.id = m.local_id
     WHERE m.source_db = :source AND m.kind = 'ingest_document' AND m.remote_id = :node_id
),
updated AS (
    UPDATE ingest_document n
       SET title = :node_title, storage_path = :node_storage_path, knowledge_base = :node_knowledge_base, updated_at = now()
      FROM known
     WHERE n.id = known.local_id
       AND (n.title, n.storage_path, n.knowledge_base) IS DISTINCT FROM (:node_title, :node_storage_path, :node_knowledge_base)
    RETURNING n.id
),
inserted AS (
    INSERT INTO ingest_document (title, storage_path, knowledge_base)
    SELECT :node_title, :node_storage_path, :node_knowledge_base
     WHERE NOT EXISTS (SELECT 1 FROM known)
    RETURNING id
)
INSERT INTO source_db_row (source_db, kind, remote_id, local_id)
SELECT :source, 'ingest_document', :node_id, inserted.id FROM inserted
ON CONFLICT (source_db, kind, remote_id) DO UPDATE SET local_id = EXCLUDED.local_id
