-- Delete of a source, step 3 of 4: its cursor (and any leftover document mapping).
WITH mappings AS (
    DELETE FROM kb_rest_documents WHERE source_id = :#${exchangeProperty.sourceId}
)
DELETE FROM kb_rest_cursors WHERE source_id = :#${exchangeProperty.sourceId}
