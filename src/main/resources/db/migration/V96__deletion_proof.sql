-- Deletion proof: every document deletion leaves a row that outlives the document. Requested (which change, when,
-- which job), removed from the target (when, by which job, what the target said), verified absent (a listing by
-- external id in RAGFlow, a chunk count in the local index). Written by the job queue's own transitions below,
-- so no path that deletes can skip it.
CREATE TABLE deletion_proof (
    id                  BIGSERIAL PRIMARY KEY,
    document_id         BIGINT      NOT NULL,
    knowledge_base_id   BIGINT,
    -- the knowledge base's tenant when the deletion was requested (NULL: none, or the knowledge base went first)
    tenant              TEXT,
    target              TEXT        NOT NULL,
    source              TEXT        NOT NULL,
    requested_by        TEXT        NOT NULL,
    requested_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    request_job_id      BIGINT      NOT NULL UNIQUE,
    removed_at          TIMESTAMPTZ,
    removed_by_job_id   BIGINT,
    removal             TEXT,
    -- where RAGFlow held it, for the verification's listing
    ragflow_dataset_id  TEXT,
    verified_at         TIMESTAMPTZ,
    verified_absent     BOOLEAN,
    verification        TEXT
);
CREATE INDEX deletion_proof_document_idx ON deletion_proof (document_id);
CREATE INDEX deletion_proof_unverified_idx ON deletion_proof (removed_at) WHERE verified_at IS NULL;

-- a knowledge base being deleted in this transaction: its documents' deletions name it as their cause
CREATE FUNCTION ragsync_knowledge_base_deleting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('ragsync.deleted_knowledge_bases',
                       coalesce(nullif(current_setting('ragsync.deleted_knowledge_bases', true), ''), ',')
                           || OLD.id || ',', true);
    RETURN OLD;
END $$;

CREATE TRIGGER knowledge_base_deleting BEFORE DELETE ON knowledge_base
    FOR EACH ROW EXECUTE FUNCTION ragsync_knowledge_base_deleting();

CREATE FUNCTION ragsync_deletion_requested() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deletion_proof (document_id, knowledge_base_id, tenant, target, source, requested_by, request_job_id)
    SELECT NEW.document_id, NEW.knowledge_base_id, k.tenant, NEW.target, NEW.source,
           CASE WHEN k.id IS NULL
                  OR current_setting('ragsync.deleted_knowledge_bases', true) LIKE '%,' || NEW.knowledge_base_id || ',%'
                THEN 'knowledge base ' || NEW.knowledge_base_id || ' deleted'
                ELSE 'document deleted' END,
           NEW.id
      FROM (SELECT 1) one
      LEFT JOIN knowledge_base k ON k.id = NEW.knowledge_base_id
    ON CONFLICT (request_job_id) DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER sync_job_deletion_requested AFTER INSERT ON sync_job
    FOR EACH ROW WHEN (NEW.op = 'delete' AND NEW.document_id IS NOT NULL)
    EXECUTE FUNCTION ragsync_deletion_requested();
-- a queued upsert that absorbs a delete becomes the delete job
CREATE TRIGGER sync_job_deletion_coalesced AFTER UPDATE OF op ON sync_job
    FOR EACH ROW WHEN (NEW.op = 'delete' AND OLD.op <> 'delete' AND NEW.document_id IS NOT NULL)
    EXECUTE FUNCTION ragsync_deletion_requested();

CREATE FUNCTION ragsync_deletion_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE deletion_proof p
       SET removed_at = now(),
           removed_by_job_id = NEW.id,
           removal = NEW.rag_message,
           ragflow_dataset_id = coalesce(s.ragflow_dataset_id, m.ragflow_dataset_id)
      FROM (SELECT 1) one
      LEFT JOIN document_sync s ON s.document_id = NEW.document_id
      LEFT JOIN kb_dataset m ON m.knowledge_base_id = NEW.knowledge_base_id
     WHERE p.document_id = NEW.document_id
       AND p.target = NEW.target
       AND p.removed_at IS NULL;
    RETURN NULL;
END $$;

CREATE TRIGGER sync_job_deletion_removed AFTER UPDATE OF status ON sync_job
    FOR EACH ROW WHEN (NEW.op = 'delete' AND NEW.status = 'deleted' AND OLD.status <> 'deleted'
                       AND NEW.document_id IS NOT NULL)
    EXECUTE FUNCTION ragsync_deletion_removed();

-- the right that reads deletion proofs (GET /api/documents/{id}/deletion-proof)
ALTER TABLE api_credential DROP CONSTRAINT api_credential_rights;
ALTER TABLE api_credential ADD CONSTRAINT api_credential_rights
    CHECK (rights <@ ARRAY['push', 'retrieve', 'sync', 'requeue', 'reconcile', 'audit']::TEXT[]);

-- A document deleted with its knowledge base (cascade) can no longer read the knowledge base's target: its delete
-- goes where its last job went, so the target that holds it is the one that removes it and proves it.
CREATE OR REPLACE FUNCTION ragsync_document_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_source TEXT := coalesce(nullif(current_setting('ragsync.source', true), ''), 'backend');
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM ragsync_enqueue(OLD.id, OLD.knowledge_base_id, 'delete', v_source,
                                coalesce((SELECT k.target FROM knowledge_base k WHERE k.id = OLD.knowledge_base_id),
                                         (SELECT j.target FROM sync_job j WHERE j.document_id = OLD.id
                                           ORDER BY j.id DESC LIMIT 1),
                                         ragsync_target_of(OLD.knowledge_base_id)));
        RETURN OLD;
    END IF;
    PERFORM ragsync_enqueue(NEW.id, NEW.knowledge_base_id, 'upsert', v_source);
    RETURN NEW;
END $$;
