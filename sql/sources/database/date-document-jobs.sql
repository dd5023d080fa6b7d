-- (hub) The queued job of a relayed document dates from the change in its source (the outbox row's time), so
-- freshness counts the time the change waited for the relay (a hub that was down). An older change keeps its time.
UPDATE sync_job j
   SET changed_at = least(j.changed_at, :changed_at)
 WHERE j.document_id = :document_id AND j.status = 'queued'
