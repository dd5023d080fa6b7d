-- Creates or updates the document row of a pushed source and its push_source row. The V3 triggers enqueue an
-- upsert when the document is new or its title or file path changed; updated_at moves only when something
-- (title, path or content) changed, so an identical push changes nothing downstream. ragsync_enqueue_source
-- names the push API as the source of the jobs the triggers enqueue.
WITH existing AS (
    SELECT s.document_id, s.content_sha256
      FROM push_source s
     WHERE s.knowledge_base_id = :#${variable.knowledgeBaseId}
       AND s.source_type = :#${variable.push.sourceType}
       AND s.source_id = :#${variable.push.sourceId}),
updated AS (
    UPDATE document d
       SET title = :#${variable.push.title},
           file_path = :#${variable.filePath},
           updated_at = CASE WHEN d.title IS DISTINCT FROM :#${variable.push.title}
                               OR d.file_path IS DISTINCT FROM :#${variable.filePath}
                               OR e.content_sha256 IS DISTINCT FROM :#${variable.push.contentSha256}
                             THEN now() ELSE d.updated_at END
      FROM existing e
     WHERE d.id = e.document_id
       AND ragsync_enqueue_source('push') IS NOT NULL
    RETURNING d.id),
inserted AS (
    INSERT INTO document (knowledge_base_id, title, file_path)
    SELECT :#${variable.knowledgeBaseId}, :#${variable.push.title}, :#${variable.filePath}
     WHERE NOT EXISTS (SELECT 1 FROM existing)
       AND ragsync_enqueue_source('push') IS NOT NULL
    RETURNING id),
doc AS (
    SELECT id, false AS created FROM updated
    UNION ALL
    SELECT id, true AS created FROM inserted),
source AS (
    INSERT INTO push_source (document_id, knowledge_base_id, chatbot_id, source_type, source_id, content_sha256,
                             content_bytes, url, metadata)
    SELECT doc.id, :#${variable.knowledgeBaseId}, :#${variable.push.chatbotId},
           :#${variable.push.sourceType}, :#${variable.push.sourceId}, :#${variable.push.contentSha256},
           :#${variable.push.contentBytes}, :#${variable.push.url},
           CAST(:#${variable.push.metadataJson} AS JSONB)
      FROM doc
    ON CONFLICT (knowledge_base_id, source_type, source_id) DO UPDATE
       SET content_sha256 = EXCLUDED.content_sha256,
           content_bytes = EXCLUDED.content_bytes,
           url = EXCLUDED.url,
           metadata = EXCLUDED.metadata,
           revision = push_source.revision + 1,
           pushed_at = now()
    RETURNING document_id, revision)
SELECT source.document_id, source.revision, doc.created
  FROM source JOIN doc ON doc.id = source.document_id
