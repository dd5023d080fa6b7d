-- The day's document of the source: the existing one, or a new backend document row in the source's
-- knowledge base (whose insert trigger enqueues its upsert).
WITH existing AS (
    SELECT d.id, d.file_path
      FROM kb_rest_documents r
      JOIN document d ON d.id = r.document_id
     WHERE r.source_id = :#${exchangeProperty.sourceId}
       AND r.sync_date = CAST(:#${variable.batch.day.syncDate} AS DATE)
), created AS (
    INSERT INTO document (knowledge_base_id, title, file_path)
    SELECT :#${variable.batch.day.knowledgeBaseId}, :#${variable.batch.day.documentTitle}, :#${variable.batch.day.filePath}
     WHERE NOT EXISTS (SELECT 1 FROM existing)
       AND ragsync_enqueue_source('rest') IS NOT NULL
    RETURNING id, file_path
), mapped AS (
    INSERT INTO kb_rest_documents (source_id, sync_date, document_id)
    SELECT :#${exchangeProperty.sourceId}, CAST(:#${variable.batch.day.syncDate} AS DATE), id FROM created
    ON CONFLICT (source_id, sync_date) DO UPDATE SET document_id = EXCLUDED.document_id
)
SELECT id AS document_id, file_path FROM created
UNION ALL
SELECT id, file_path FROM existing
