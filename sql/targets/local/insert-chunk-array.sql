-- One chunk (run as a JDBC batch), small-scale mode: the embedding arrives as an array literal '{x,y,...}'.
INSERT INTO index_chunk (knowledge_base_id, source_type, source_id, chunk_index, content, content_hash,
                         embedding_model, metadata, allowed_roles, tenant, embedding)
VALUES (:knowledgeBaseId, :sourceType, :sourceId, :chunkIndex, :content, :contentHash,
        :model, CAST(:metadata AS JSONB),
        ARRAY(SELECT jsonb_array_elements_text(CAST(:allowedRoles AS JSONB))), :tenant,
        CAST(:embedding AS REAL[]))
