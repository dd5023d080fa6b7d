-- (hub) A document deleted in its source: its hub row (the document trigger enqueues the delete) and its origin.
-- Returns the hub document, whose delete job the relay dates.
WITH gone AS (
    DELETE FROM source_db_row m
     WHERE m.source_db = :source AND m.kind = 'document' AND m.remote_id = :id
    RETURNING m.local_id
)
DELETE FROM document d USING gone WHERE d.id = gone.local_id
RETURNING d.id AS document_id
