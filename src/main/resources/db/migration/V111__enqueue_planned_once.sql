-- The four-argument enqueue every source's trigger calls was an SQL function, which PostgreSQL plans again on every
-- call, ragsync_target_of's body with it: per document 27 us of planning against 6 us of execution. As plpgsql its
-- one statement is a prepared plan of the session, ragsync_target_of inlined into it.
CREATE OR REPLACE FUNCTION ragsync_enqueue(p_document_id BIGINT, p_knowledge_base_id BIGINT, p_op TEXT, p_source TEXT)
RETURNS BIGINT LANGUAGE plpgsql AS $$
BEGIN
    RETURN ragsync_enqueue(p_document_id, p_knowledge_base_id, p_op, p_source, ragsync_target_of(p_knowledge_base_id));
END $$;
