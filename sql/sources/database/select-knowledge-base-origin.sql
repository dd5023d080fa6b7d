-- (hub) Whether a source's knowledge base already has its hub row.
SELECT count(*) FROM source_db_row m
  JOIN knowledge_base k ON k.id = m.local_id
 WHERE m.source_db = :source AND m.kind = 'knowledge_base' AND m.remote_id = :id
