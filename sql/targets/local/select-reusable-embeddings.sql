-- Embeddings a source already has, by chunk content hash (same model only): unchanged chunks keep them.
SELECT DISTINCT ON (content_hash) content_hash, CAST(embedding AS REAL[]) AS embedding
  FROM index_chunk
 WHERE source_type = :sourceType
   AND source_id = :sourceId
   AND embedding_model = :model
 ORDER BY content_hash, chunk_index
