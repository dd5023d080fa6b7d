-- An access change is a change like any other: a document's allowed roles, or its knowledge base's roles or tenant,
-- enqueue an upsert of the documents concerned in the backend's own transaction. Their content is unchanged, so
-- the targets apply it as metadata only (RAGFlow meta_fields, the local chunks' access columns), never an upload.
DROP TRIGGER document_updated ON document;
CREATE TRIGGER document_updated AFTER UPDATE ON document
    FOR EACH ROW
    WHEN (OLD.file_path IS DISTINCT FROM NEW.file_path
          OR OLD.title IS DISTINCT FROM NEW.title
          OR OLD.knowledge_base_id IS DISTINCT FROM NEW.knowledge_base_id
          OR OLD.allowed_roles IS DISTINCT FROM NEW.allowed_roles)
    EXECUTE FUNCTION ragsync_document_changed();

CREATE FUNCTION ragsync_knowledge_base_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ragsync_enqueue(d.id, d.knowledge_base_id, 'upsert',
                            coalesce(nullif(current_setting('ragsync.source', true), ''), 'backend'))
       FROM document d
      WHERE d.knowledge_base_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER knowledge_base_access_changed AFTER UPDATE ON knowledge_base
    FOR EACH ROW
    WHEN (OLD.allowed_roles IS DISTINCT FROM NEW.allowed_roles OR OLD.tenant IS DISTINCT FROM NEW.tenant)
    EXECUTE FUNCTION ragsync_knowledge_base_access_changed();
