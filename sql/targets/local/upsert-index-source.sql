-- Records what the index now holds for a source (same transaction as its chunks).
INSERT INTO index_source (knowledge_base_id, source_type, source_id, content_hash, meta_hash, embedding_model,
                          chunk_count, truncated, indexed_at)
VALUES (:knowledgeBaseId, :sourceType, :sourceId, :contentHash, :metaHash, :model, :chunkCount, :truncated, now())
ON CONFLICT (source_type, source_id) DO UPDATE
   SET knowledge_base_id = EXCLUDED.knowledge_base_id,
       content_hash = EXCLUDED.content_hash,
       meta_hash = EXCLUDED.meta_hash,
       embedding_model = EXCLUDED.embedding_model,
       chunk_count = EXCLUDED.chunk_count,
       truncated = EXCLUDED.truncated,
       indexed_at = now()
