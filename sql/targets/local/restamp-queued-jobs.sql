-- Queued jobs of knowledge bases without a target of their own move to the default target (a knowledge base's
-- deletion stays with the target it was queued for).
UPDATE sync_job j SET target = :target, updated_at = now()
 WHERE j.status = 'queued' AND j.target <> :target AND j.op <> 'delete_kb'
   AND EXISTS (SELECT 1 FROM knowledge_base k WHERE k.id = j.knowledge_base_id AND k.target IS NULL)
