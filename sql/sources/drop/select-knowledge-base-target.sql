-- The target a dropped file's knowledge base uses: its own (the knowledge base ragsync_knowledge_base_by_name
-- picks), else the global default, as ragsync_enqueue resolves it; one row even before the knowledge base exists
SELECT COALESCE((SELECT k.target FROM knowledge_base k WHERE k.name = :#${exchangeProperty.drop.knowledgeBase}
                  ORDER BY k.id LIMIT 1),
                (SELECT s.value FROM ragsync_setting s WHERE s.key = 'default_target'),
                'ragflow') AS target
