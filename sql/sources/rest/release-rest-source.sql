-- The scheduler's batch of the source is over.
UPDATE kb_rest_cursors
   SET scheduler_lease_until = NULL, scheduler_claimed_by = NULL, scheduler_claim_token = NULL
 WHERE source_id = :#${exchangeProperty.sourceId}
