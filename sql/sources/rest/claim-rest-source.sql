-- The scheduler claims a due source for one batch (instances sharing the database never run it twice). The
-- claim names this instance and process and is short: the holder's heartbeat renews it while the batch runs
-- (renew-rest-source-leases.sql), so a source whose process died is free again within a lease.
UPDATE kb_rest_cursors
   SET scheduler_lease_until = now() + make_interval(secs => :#${properties:app.rest.scheduler-lease-seconds}),
       scheduler_claimed_by = :#${exchangeProperty.claim.instanceId},
       scheduler_claim_token = :#${exchangeProperty.claim.token}
 WHERE source_id = :#${exchangeProperty.sourceId}
   AND (scheduler_lease_until IS NULL OR scheduler_lease_until < now())
   AND (retry_after_until IS NULL OR retry_after_until <= now())
