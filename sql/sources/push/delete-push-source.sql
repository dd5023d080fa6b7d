-- Deletes the document of a pushed source (the V3 trigger enqueues the downstream delete; push_source goes
-- with it by cascade). Returns what was there: its chunk (embedding) count as the target last reported it.
WITH source AS (
    SELECT s.document_id
      FROM push_source s
     WHERE s.knowledge_base_id = :#${variable.knowledgeBaseId}
       AND s.source_type = :#${variable.push.sourceType}
       AND s.source_id = :#${variable.push.sourceId}),
deleted AS (
    DELETE FROM document d USING source s
     WHERE d.id = s.document_id
       AND ragsync_enqueue_source('push') IS NOT NULL
    RETURNING d.id, d.file_path)
SELECT deleted.id AS document_id, deleted.file_path, coalesce(ds.chunk_count, 0) AS chunk_count
  FROM deleted
  LEFT JOIN document_sync ds ON ds.document_id = deleted.id
