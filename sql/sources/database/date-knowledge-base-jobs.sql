-- (hub) The queued jobs of a knowledge base deleted in its source (its delete and its documents') date from the
-- change in the source, as date-document-jobs.sql.
UPDATE sync_job j
   SET changed_at = least(j.changed_at, :changed_at)
 WHERE j.knowledge_base_id = :knowledge_base_id AND j.status = 'queued'
