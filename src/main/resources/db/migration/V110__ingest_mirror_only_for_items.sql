-- A job's transitions are mirrored onto ingestion-queue items (V11) only for jobs that have items. The trigger fired
-- on every status change of every job, and for a backend, drop, push or REST job its function ran an update that
-- matched nothing: three trigger calls and statements per document. A job is flagged when an item is linked to it
-- (queued, or handed over from a superseded job), so the trigger's WHEN skips the others without a call.
ALTER TABLE sync_job ADD COLUMN ingest_items BOOLEAN NOT NULL DEFAULT false;

UPDATE sync_job j SET ingest_items = true
 WHERE j.id IN (SELECT i.sync_job_id FROM ingest_queue_item i WHERE i.sync_job_id IS NOT NULL);

CREATE FUNCTION ragsync_ingest_item_linked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sync_job j SET ingest_items = true WHERE j.id = NEW.sync_job_id AND NOT j.ingest_items;
    RETURN NULL;
END $$;

CREATE TRIGGER ingest_queue_item_linked AFTER INSERT OR UPDATE OF sync_job_id ON ingest_queue_item
    FOR EACH ROW WHEN (NEW.sync_job_id IS NOT NULL)
    EXECUTE FUNCTION ragsync_ingest_item_linked();

DROP TRIGGER sync_job_mirrored_to_ingest ON sync_job;
CREATE TRIGGER sync_job_mirrored_to_ingest AFTER UPDATE ON sync_job
    FOR EACH ROW
    WHEN (NEW.ingest_items
          AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.rag_message IS DISTINCT FROM NEW.rag_message
               OR OLD.started_at IS DISTINCT FROM NEW.started_at))
    EXECUTE FUNCTION ragsync_mirror_job_to_ingest();
