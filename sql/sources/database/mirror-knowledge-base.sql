-- (hub) A source's knowledge base: updated through its origin row, else inserted with a new origin row. A stale
-- origin (its hub row gone) is pointed at the new row.
WITH known AS (
    SELECT m.local_id
      FROM source_db_row m
      JOIN knowledge_base k ON k.id = m.local_id
     WHERE m.source_db = :source AND m.kind = 'knowledge_base' AND m.remote_id = :id
),
updated AS (
    UPDATE knowledge_base k
       SET name = :name, description = :description, target = :target, tenant = :tenant,
           allowed_roles = CASE WHEN CAST(:allowed_roles AS TEXT) IS NULL THEN NULL
                                ELSE ARRAY(SELECT jsonb_array_elements_text(CAST(:allowed_roles AS JSONB))) END,
           updated_at = now()
      FROM known
     WHERE k.id = known.local_id
    RETURNING k.id
),
inserted AS (
    INSERT INTO knowledge_base (name, description, target, tenant, allowed_roles)
    SELECT :name, :description, :target, :tenant,
           CASE WHEN CAST(:allowed_roles AS TEXT) IS NULL THEN NULL
                ELSE ARRAY(SELECT jsonb_array_elements_text(CAST(:allowed_roles AS JSONB))) END
     WHERE NOT EXISTS (SELECT 1 FROM known)
    RETURNING id
)
INSERT INTO source_db_row (source_db, kind, remote_id, local_id)
SELECT :source, 'knowledge_base', :id, inserted.id FROM inserted
ON CONFLICT (source_db, kind, remote_id) DO UPDATE SET local_id = EXCLUDED.local_id
