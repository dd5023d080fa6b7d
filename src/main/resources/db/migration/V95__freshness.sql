-- Freshness: when the change a job carries happened at its source. A job absorbing later events keeps the first
-- (the oldest change still unserved); rows from before this column read their created_at instead.
ALTER TABLE sync_job ADD COLUMN changed_at TIMESTAMPTZ;
ALTER TABLE sync_job ALTER COLUMN changed_at SET DEFAULT now();

-- the last hour of searchable outcomes, read by the dashboard and the metrics refresh
CREATE INDEX sync_job_searchable_idx ON sync_job (ended_at) WHERE status IN ('indexed', 'truncated');
