-- First statement of a batch's transaction: locks the source (one batch of a source stores at a time) and
-- makes sure its knowledge base exists (created on first use, named after the source, with the source's tenant).
-- Returns the day.
WITH src AS (
    SELECT s.id, s.title, s.tenant_id, kb.id AS existing_kb
      FROM kb_sources s
      LEFT JOIN knowledge_base kb ON kb.id = s.knowledge_base_id
     WHERE s.id = :#${exchangeProperty.sourceId}
       FOR UPDATE OF s
), created AS (
    INSERT INTO knowledge_base (name, description, tenant)
    SELECT title, 'REST source ' || id || ' (RAGSync)', tenant_id FROM src WHERE existing_kb IS NULL
    RETURNING id
), linked AS (
    UPDATE kb_sources
       SET knowledge_base_id = (SELECT id FROM created), updated_at = now()
     WHERE id = :#${exchangeProperty.sourceId}
       AND EXISTS (SELECT 1 FROM created)
)
SELECT COALESCE((SELECT id FROM created), (SELECT existing_kb FROM src)) AS knowledge_base_id,
       to_char(CURRENT_DATE, 'YYYY-MM-DD') AS sync_date
  FROM src
