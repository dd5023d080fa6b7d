-- Targets named by a knowledge base or awaited by an unfinished job (e.g. the clean-up of a deleted knowledge
-- base); the global default (knowledge bases without their own) is added by IndexTargets.
SELECT target FROM knowledge_base WHERE target IS NOT NULL
UNION
SELECT target FROM sync_job WHERE status IN ('queued', 'processing')
