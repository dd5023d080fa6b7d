-- (hub) A source's document in its knowledge base's hub row: updated through its origin row (the document
-- trigger enqueues when path, title or knowledge base change), else inserted (the trigger enqueues the upsert).
-- Returns the hub document written, whose job the relay dates.
WITH kb AS (
    SELECT m.local_id
      FROM source_db_row m
     WHERE m.source_db = :source AND m.kind = 'knowledge_base' AND m.remote_id = :knowledge_base_id
),
known AS (
    SELECT m.local_id
      FROM source_db_row m
      JOIN document d ON d.id = m.local_id
     WHERE m.source_db = :source AND m.kind = 'document' AND m.remote_id = :id
),
updated AS (
    UPDATE document d
       SET knowledge_base_id = kb.local_id, title = :title, file_path = :file_path,
           allowed_roles = CASE WHEN CAST(:allowed_roles AS TEXT) IS NULL THEN NULL
                                ELSE ARRAY(SELECT jsonb_array_elements_text(CAST(:allowed_roles AS JSONB))) END,
           updated_at = now()
      FROM known, kb
     WHERE d.id = known.local_id
    RETURNING d.id
),
inserted AS (
    INSERT INTO document (knowledge_base_id, title, file_path, allowed_roles)
    SELECT kb.local_id, :title, :file_path,
           CASE WHEN CAST(:allowed_roles AS TEXT) IS NULL THEN NULL
                ELSE ARRAY(SELECT jsonb_array_elements_text(CAST(:allowed_roles AS JSONB))) END
      FROM kb
     WHERE NOT EXISTS (SELECT 1 FROM known)
    RETURNING id
),
origin AS (
    INSERT INTO source_db_row (source_db, kind, remote_id, local_id)
    SELECT :source, 'document', :id, inserted.id FROM inserted
    ON CONFLICT (source_db, kind, remote_id) DO UPDATE SET local_id = EXCLUDED.local_id
)
SELECT updated.id AS document_id FROM updated
UNION ALL
SELECT inserted.id FROM inserted
