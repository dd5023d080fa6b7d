-- Removes a chatbot (under lock-chatbot.sql): counts its documents and their chunks (embeddings) as the
-- target last reported them, marks the mapping removed and deletes the knowledge base. The V3 triggers enqueue
-- the delete_kb job (the dataset or index partition goes; ragsync_enqueue_source names the push API as its
-- source) and the documents go by cascade.
WITH kb AS (
    SELECT CAST(:#${variable.knowledgeBaseId} AS BIGINT) AS id),
counts AS (
    SELECT count(d.id) AS documents, coalesce(sum(ds.chunk_count), 0) AS chunks
      FROM kb
      LEFT JOIN document d ON d.knowledge_base_id = kb.id
      LEFT JOIN document_sync ds ON ds.document_id = d.id),
removed AS (
    UPDATE push_chatbot c SET removed_at = now()
      FROM kb
     WHERE c.knowledge_base_id = kb.id
    RETURNING c.id),
deleted AS (
    DELETE FROM knowledge_base k USING kb
     WHERE k.id = kb.id
       AND ragsync_enqueue_source('push') IS NOT NULL
    RETURNING k.id)
SELECT counts.documents, counts.chunks, (SELECT count(*) FROM deleted) AS knowledge_bases,
       (SELECT count(*) FROM removed) AS mappings
  FROM counts
