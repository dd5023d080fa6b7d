-- (hub) A knowledge base deleted in its source: its hub row (V3's trigger enqueues delete_kb, its documents'
-- triggers their deletes) and the origin rows of it and of its documents. Returns the hub knowledge base, whose
-- jobs the relay dates.
WITH gone AS (
    DELETE FROM source_db_row m
     WHERE m.source_db = :source AND m.kind = 'knowledge_base' AND m.remote_id = :id
    RETURNING m.local_id
),
documents AS (
    DELETE FROM source_db_row m
     USING document d, gone
     WHERE m.source_db = :source AND m.kind = 'document' AND m.local_id = d.id AND d.knowledge_base_id = gone.local_id
)
DELETE FROM knowledge_base k USING gone WHERE k.id = gone.local_id
RETURNING k.id AS knowledge_base_id
