-- Retrieval, pgvector mode: the HNSW cosine index orders the candidates (<=> is the cosine distance); access
-- filters (tenant, roles), the knowledge bases, documents and metadata conditions narrow them; the top :limit
-- candidates are then cut at the similarity threshold.
SELECT r.id, r.knowledge_base_id, r.source_type, r.source_id, r.chunk_index, r.content,
       CAST(r.metadata AS TEXT) AS metadata, r.similarity
  FROM (SELECT c.id, c.knowledge_base_id, c.source_type, c.source_id, c.chunk_index, c.content, c.metadata,
               1 - (c.embedding <=> CAST(:query AS vector)) AS similarity
          FROM index_chunk c
         WHERE c.knowledge_base_id IN (SELECT CAST(jsonb_array_elements_text(CAST(:knowledgeBaseIds AS JSONB)) AS BIGINT))
           AND (CAST(:sourceIds AS JSONB) IS NULL
                OR c.source_id IN (SELECT jsonb_array_elements_text(CAST(:sourceIds AS JSONB))))
           AND (c.tenant IS NULL OR c.tenant = CAST(:tenant AS TEXT))
           AND (c.allowed_roles IS NULL OR cardinality(c.allowed_roles) = 0
                OR c.allowed_roles && ARRAY(SELECT jsonb_array_elements_text(CAST(:roles AS JSONB))))
           AND (CAST(:metadataFilter AS JSONB) IS NULL OR c.metadata @> CAST(:metadataFilter AS JSONB))
           AND ragsync_metadata_matches(c.metadata, CAST(:metadataCondition AS JSONB))
         ORDER BY c.embedding <=> CAST(:query AS vector)
         LIMIT :limit) r
 WHERE r.similarity >= :threshold
 ORDER BY r.similarity DESC, r.id
