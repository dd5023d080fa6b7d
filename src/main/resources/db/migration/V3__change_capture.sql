-- Change capture: the backend's writes become job rows in the same transaction, so nothing is missed
-- while RAGSync is down. Pending events for one document coalesce into one queued job (latest wins).
CREATE FUNCTION ragsync_enqueue(p_document_id BIGINT, p_knowledge_base_id BIGINT, p_op TEXT, p_source TEXT)
RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v_job_id BIGINT;
    v_inserted BOOLEAN;
BEGIN
    IF p_op = 'delete_kb' THEN
        INSERT INTO sync_job (document_id, knowledge_base_id, op, source)
        VALUES (NULL, p_knowledge_base_id, p_op, p_source)
        ON CONFLICT (knowledge_base_id) WHERE status = 'queued' AND op = 'delete_kb'
        DO UPDATE SET updated_at = now(), coalesced_count = sync_job.coalesced_count + 1
        RETURNING id, (xmax = 0) INTO v_job_id, v_inserted;
    ELSE
        INSERT INTO sync_job (document_id, knowledge_base_id, op, source)
        VALUES (p_document_id, p_knowledge_base_id, p_op, p_source)
        ON CONFLICT (document_id) WHERE status = 'queued' AND document_id IS NOT NULL
        DO UPDATE SET op = EXCLUDED.op,
                      knowledge_base_id = EXCLUDED.knowledge_base_id,
                      source = EXCLUDED.source,
                      retry_count = 0,
                      next_retry_at = NULL,
                      last_error = NULL,
                      updated_at = now(),
                      coalesced_count = sync_job.coalesced_count + 1
        RETURNING id, (xmax = 0) INTO v_job_id, v_inserted;
    END IF;
    INSERT INTO sync_job_log (job_id, level, event, message)
    VALUES (v_job_id, 'INFO', CASE WHEN v_inserted THEN 'enqueued' ELSE 'coalesced' END,
            p_op || ' from ' || p_source);
    RETURN v_job_id;
END $$;

CREATE FUNCTION ragsync_document_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM ragsync_enqueue(OLD.id, OLD.knowledge_base_id, 'delete', 'backend');
        RETURN OLD;
    END IF;
    PERFORM ragsync_enqueue(NEW.id, NEW.knowledge_base_id, 'upsert', 'backend');
    RETURN NEW;
END $$;

CREATE TRIGGER document_inserted AFTER INSERT ON document
    FOR EACH ROW EXECUTE FUNCTION ragsync_document_changed();
CREATE TRIGGER document_updated AFTER UPDATE ON document
    FOR EACH ROW
    WHEN (OLD.file_path IS DISTINCT FROM NEW.file_path
          OR OLD.title IS DISTINCT FROM NEW.title
          OR OLD.knowledge_base_id IS DISTINCT FROM NEW.knowledge_base_id)
    EXECUTE FUNCTION ragsync_document_changed();
CREATE TRIGGER document_deleted AFTER DELETE ON document
    FOR EACH ROW EXECUTE FUNCTION ragsync_document_changed();

CREATE FUNCTION ragsync_knowledge_base_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ragsync_enqueue(NULL, OLD.id, 'delete_kb', 'backend');
    RETURN OLD;
END $$;

CREATE TRIGGER knowledge_base_deleted AFTER DELETE ON knowledge_base
    FOR EACH ROW EXECUTE FUNCTION ragsync_knowledge_base_deleted();
