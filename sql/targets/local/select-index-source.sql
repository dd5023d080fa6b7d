-- What the local index holds for one source (NULL row when nothing).
SELECT knowledge_base_id, content_hash, meta_hash, embedding_model, chunk_count, truncated, indexed_at
  FROM index_source
 WHERE source_type = :sourceType
   AND source_id = :sourceId
