-- The scheduler's batch of the source is over.
UPDATE kb_rest_cursors SET scheduler_lease_until = NULL WHERE source_id = :#${exchangeProperty.sourceId}
